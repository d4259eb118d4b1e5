import Archive
import Foundation
import Media
import Records
import Server
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
import Workflows
#endif

/// `needlelog daemon` as a child process on a loopback port, driven over HTTP.
@Suite("the daemon process", .serialized)
struct DaemonProcessTests {
    static let needlelog = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/needlelog").path

    /// Starts `needlelog daemon` on a random loopback port with a SampleData clip as its
    /// live source, and returns once it has printed its readiness line.
    static func launch(archive: URL, clip: String, extra: [String] = []) throws -> (process: Process, port: Int, ready: String) {
        let port = Int.random(in: 20_000...40_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: needlelog)
        daemon.arguments = ["daemon", "--archive", archive.path, "--file", DeskFixture.sampleData.appendingPathComponent(clip).path,
                            "--port", String(port)] + extra
        let output = Pipe()
        daemon.standardOutput = output
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        return (daemon, port, String(decoding: output.fileHandleForReading.availableData, as: UTF8.self))
    }

    /// The token the daemon wrote for the command line beside its archive.
    static func token(_ archive: URL) throws -> String {
        try String(contentsOf: archive.appendingPathComponent("daemon.token"), encoding: .utf8)
    }

    func request(_ port: Int, _ path: String, body: String? = nil, token: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/\(path)")!)
        if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test("ready within moments; SIGTERM mid-recording leaves a finished, playable recording and a session interrupted, to be continued")
    func sigtermFinalises() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let (daemon, port, ready) = try Self.launch(archive: f.root, clip: "cervical-1280x720.mp4")
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(ready.contains("daemon: ready on http://127.0.0.1:\(port)"))
        // Without the token (or a signed-in browser) the recorder answers nobody.
        #expect(try await request(port, "status").0 == 401)
        let token = try Self.token(f.root)
        #expect(token.count >= 40)
        let mode = try FileManager.default.attributesOfItem(atPath: f.root.appendingPathComponent("daemon.token").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        var status = try await request(port, "status", token: token)
        #expect(status.0 == 200)

        status = try await request(port, "session/start", body: #"{"patient":"P-1","treatment":"3/6"}"#, token: token)
        #expect(status.0 == 200)
        try await Task.sleep(for: .seconds(1))
        #expect(try await request(port, "tag", body: #"{"site":"C5-6","structure":"facet","side":"left"}"#, token: token).0 == 200)
        #expect(try await request(port, "tag", body: #"{"site":"C8"}"#, token: token).0 == 400)
        try await Task.sleep(for: .seconds(2.5))   // past the first freeze (2.0-3.5 s)
        daemon.terminate()                          // SIGTERM
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)

        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        #expect(session.status == .interrupted && session.treatment.number == 3, "\(session.status)")
        let recording = f.root.appendingPathComponent(try #require(session.recording).value).path
        let source = try MediaSource(.file(recording))
        let decoder = try VideoDecoder(for: source)
        var frames = 0
        while let packet = try source.nextPacket() { frames += try decoder.decode(packet).count }
        frames += try decoder.flush().count
        #expect(frames >= 90 && frames < 600)
        let stills = try await f.archive.stills(ofSession: session.id)
        #expect(stills.contains { $0.reason == .freeze && $0.tag?.description == "left C5-C6 facet-capsule" })
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("no capture source (the physician's office): the daemon serves the review pages; recording answers 503 saying why")
    func reviewOnly() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: "dr lee's office password", by: "test")
        try await f.archive.add(try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                                     treatment: TreatmentNumber(1, of: 1)))
        let port = Int.random(in: 20_000...40_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: Self.needlelog)
        daemon.arguments = ["daemon", "--archive", f.root.path, "--port", String(port)]
        let output = Pipe(), errors = Pipe()
        daemon.standardOutput = output
        daemon.standardError = errors
        daemon.environment = ProcessInfo.processInfo.environment.filter { $0.key != "NEEDLELOG_CONFIG" }.merging(["HOME": f.root.path]) { $1 }
        try daemon.run()
        defer { endChild(daemon) }
        let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        try #require(ready.contains("daemon: ready on"), "\(ready)")
        let token = try Self.token(f.root)
        let (code, body) = try await request(port, "status", token: token)
        #expect(code == 503 && String(decoding: body, as: UTF8.self).contains("serves review only"), "\(code) \(String(decoding: body, as: UTF8.self))")
        #expect(try await request(port, "session/start", body: #"{"patient":"P-1"}"#, token: token).0 == 503)

        // The physician signs in and reads the archive.
        var login = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/login")!)
        login.httpMethod = "POST"
        login.httpBody = Data(#"{"user":"dr.lee","password":"dr lee's office password"}"#.utf8)
        let (_, signedIn) = try await URLSession.shared.data(for: login)
        let cookie = try #require((signedIn as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first.map(String.init))
        var list = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/sessions")!)
        list.setValue(cookie, forHTTPHeaderField: "Cookie")
        let (sessions, answer) = try await URLSession.shared.data(for: list)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: sessions, as: UTF8.self).contains("P-1"))
        kill(daemon.processIdentifier, SIGKILL)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("serving the review pages only"), "\(log)")
    }

    @Test("a TOML file gives the source, the archive, the port and the footswitch keys; flags win over it")
    func configured() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let port = Int.random(in: 20_000...40_000)
        let file = f.root.appendingPathComponent("daemon.toml")
        try """
            archive = "\(f.root.path)"
            [capture]
            file = "\(DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path)"
            [server]
            port = \(port + 1)
            [keys]
            snap = "PageDown"
            """.write(to: file, atomically: true, encoding: .utf8)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: Self.needlelog)
        daemon.arguments = ["daemon", "--config", file.path, "--port", String(port)]
        let output = Pipe()
        daemon.standardOutput = output
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(ready.contains("ready on http://127.0.0.1:\(port)"))
        let token = try Self.token(f.root)
        let keys = try await request(port, "page-settings", token: token)
        #expect(keys.0 == 200)
        #expect(String(decoding: keys.1, as: UTF8.self).contains(#""snap":"PageDown""#))
        #expect(try await request(port, "session/start", body: #"{"patient":"P-1"}"#, token: token).0 == 200)
        try await Task.sleep(for: .milliseconds(600))
        #expect(try await request(port, "session/stop", body: "{}", token: token).0 == 200)
        daemon.terminate()
        daemon.waitUntilExit()
        // The session went into the archive the file named.
        #expect(try await f.archive.sessions(SessionFilter()).count == 1)

        // A mistake in the file stops the daemon before it starts, naming the line.
        try "[server]\nport = eighty".write(to: file, atomically: true, encoding: .utf8)
        let broken = Process()
        broken.executableURL = URL(fileURLWithPath: Self.needlelog)
        broken.arguments = ["daemon", "--config", file.path]
        let errors = Pipe()
        broken.standardError = errors
        broken.standardOutput = FileHandle.nullDevice
        try broken.run()
        broken.waitUntilExit()
        #expect(broken.terminationStatus != 0)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("line 2: eighty is not a value"))
    }
}
