import Archive
import Foundation
import Records
import Testing
import Workflows
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A station of a shared archive (issue 18): `needlelog daemon --database` recording into a
/// real PostgreSQL that is stopped mid-session and started again. Nothing is lost, nothing
/// arrives twice, and the tech page's status says what waits.
@Suite("a station that keeps recording while the shared archive is down", .serialized)
struct SharedArchiveStationTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A throwaway PostgreSQL of the test's own (it is stopped and started on purpose).
    struct Server {
        let folder: URL
        let address: DatabaseAddress

        init() throws {
            folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-station-pg-" + UUID().uuidString)
            try Self.postgres("start", folder)
            let port = try String(contentsOf: folder.appendingPathComponent("port"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            address = try DatabaseAddress(parsing: "postgresql://needlelog@127.0.0.1:\(port)/postgres")
        }

        func stop() throws { try Self.postgres("stop", folder) }
        func start() throws { try Self.postgres("start", folder) }
        func remove() {
            try? stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Its output is not read: the server it starts would hold a pipe open for ever
        /// (the port is in the folder's `port` file instead).
        static func postgres(_ command: String, _ folder: URL) throws {
            let script = Process()
            script.executableURL = SharedArchiveStationTests.repository.appendingPathComponent("tools/postgres")
            script.arguments = [command, folder.path]
            script.standardOutput = FileHandle.nullDevice
            try script.run()
            script.waitUntilExit()
            guard script.terminationStatus == 0 else { throw ArchiveError(.storage, "tools/postgres \(command) failed") }
        }
    }

    func status(_ port: Int, _ token: String) async throws -> [String: Any] {
        let (code, data) = try await DaemonProcessTests().request(port, "status", token: token)
        #expect(code == 200)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("PostgreSQL stopped mid-session: stills and tags go on into the journal, all arrive once when it is back")
    func outage() async throws {
        let server = try Server()
        defer { server.remove() }
        let files = server.folder.appendingPathComponent("files")
        let shared = try await PostgresArchive.open(server.address, files: ArchiveLocation(root: files))
        try await shared.add(try Patient(id: PatientID("P-1"), familyName: "Doe", givenName: "Jane",
                                         birthDate: CalendarDate(year: 1971, month: 3, day: 2), sex: .female))
        try await DeskFixture.addStaff(to: shared)

        let port = Int.random(in: 20_000...40_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        daemon.arguments = ["daemon", "--database", server.address.description, "--archive", files.path,
                            "--journal", server.folder.appendingPathComponent("station/journal.sqlite").path,
                            "--file", DeskFixture.sampleData.appendingPathComponent("cervical-1280x720.mp4").path, "--port", String(port)]
        let output = Pipe()
        daemon.standardOutput = output
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(ready.contains("ready"), "\(ready)")
        let token = try DaemonProcessTests.token(files)
        let api = DaemonProcessTests()

        #expect(try await api.request(port, "session/start", body: #"{"patient":"P-1","treatment":"1/6"}"#, token: token).0 == 200)
        #expect(try await api.request(port, "tag", body: #"{"site":"left C5-C6","structure":"facet"}"#, token: token).0 == 200)
        try await Task.sleep(for: .seconds(1))
        #expect(try await api.request(port, "snap", body: "{}", token: token).0 == 200)
        try await Task.sleep(for: .seconds(1))

        try server.stop()
        #expect(try await api.request(port, "tag", body: #"{"site":"left C6-C7","structure":"facet"}"#, token: token).0 == 200)
        for _ in 0..<3 {
            #expect(try await api.request(port, "snap", body: "{}", token: token).0 == 200)
            try await Task.sleep(for: .milliseconds(1200))
        }
        // The first write after the stop waits out the database's deadline, then the journal takes it.
        var journal: [String: Any] = [:]
        for _ in 0..<60 {
            journal = try await status(port, token)["journal"] as? [String: Any] ?? [:]
            if (journal["waiting"] as? Int ?? 0) >= 3, journal["offline"] as? Bool == true { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect((journal["waiting"] as? Int ?? 0) >= 3, "a tag and the stills wait: \(journal)")
        #expect(journal["offline"] as? Bool == true)
        #expect(try await status(port, token)["state"] as? String == "recording", "recording goes on")

        try server.start()
        for _ in 0..<120 {
            journal = try await status(port, token)["journal"] as? [String: Any] ?? [:]
            if journal["waiting"] as? Int == 0 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(journal["waiting"] as? Int == 0 && journal["refused"] as? Int == 0, "\(journal)")
        #expect(try await api.request(port, "session/stop", body: "{}", token: token).0 == 200)
        try await Task.sleep(for: .seconds(1))
        let totals = try #require(try await status(port, token)["totals"] as? [String: Any])
        daemon.terminate()
        daemon.waitUntilExit()

        let check = try await PostgresArchive.open(server.address, files: ArchiveLocation(root: files), create: false)
        let session = try #require(try await check.sessions(SessionFilter()).first?.session)
        #expect(session.status == .completed)
        let stills = try await check.stills(ofSession: session.id)
        // Snaps of one frozen picture make one still: the daemon's own count is the one to match.
        #expect(stills.count >= 3, "snaps before and while the database was down: \(stills.map { "\($0.time) \($0.reason) \($0.tag?.description ?? "-")" })")
        #expect(stills.count == totals["stills"] as? Int, "every still the station took is in the archive")
        let tags = try await check.tags(ofSession: session.id)
        #expect(tags.map(\.site.description) == ["left C5-C6", "left C6-C7"], "each tag once, in order")
        let offlineStills = stills.filter { $0.tag?.site.description == "left C6-C7" }
        #expect(offlineStills.count >= 1, "stills taken while the database was down")
        for still in stills { _ = try check.png(of: still) }
        #expect(try await check.verify(repair: false).problems.isEmpty)
        #expect(try await check.verifyAudit().isIntact)
    }

    /// `needlelog daemon` on a random port into the shared archive; nil clip: review only.
    static func launch(_ server: Server, files: URL, journal: String, clip: String?) throws -> (Process, Int) {
        let port = Int.random(in: 20_000...40_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        daemon.arguments = ["daemon", "--database", server.address.description, "--archive", files.path,
                            "--journal", server.folder.appendingPathComponent(journal).path, "--port", String(port)]
            + (clip.map { ["--file", DeskFixture.sampleData.appendingPathComponent($0).path] } ?? [])
        let output = Pipe()
        daemon.standardOutput = output
        daemon.standardError = FileHandle.nullDevice
        // Each station keeps its own token; the shared folder holds one, so each gets its own HOME.
        try daemon.run()
        let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard ready.contains("ready") else { throw ArchiveError(.storage, "the daemon did not start: \(ready)") }
        return (daemon, port)
    }

    @Test("two rooms record into one database and one folder at once; a third daemon, review only, finds both rooms' stills")
    func twoRooms() async throws {
        let server = try Server()
        defer { server.remove() }
        let files = server.folder.appendingPathComponent("files")
        let shared = try await PostgresArchive.open(server.address, files: ArchiveLocation(root: files))
        for (id, family) in [("P-1", "Doe"), ("P-2", "Roe")] {
            try await shared.add(try Patient(id: PatientID(id), familyName: family, givenName: "Jane",
                                             birthDate: CalendarDate(year: 1971, month: 3, day: 2), sex: .female))
        }
        try await DeskFixture.addStaff(to: shared)
        _ = try await AccountBook(archive: shared, hasher: PasswordHasher(cost: 4))
            .add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann"), password: "dr lee's office password", by: "test")

        let (room1, port1) = try Self.launch(server, files: files, journal: "room-1/journal.sqlite", clip: "cervical-1280x720.mp4")
        defer { if room1.isRunning { room1.terminate() } }
        let token1 = try DaemonProcessTests.token(files)
        let (room2, port2) = try Self.launch(server, files: files, journal: "room-2/journal.sqlite", clip: "scanner-export-1148x624.mp4")
        defer { if room2.isRunning { room2.terminate() } }
        // The second daemon wrote the folder's token anew: the first still holds its own in memory.
        let token2 = try DaemonProcessTests.token(files)
        let (office, port3) = try Self.launch(server, files: files, journal: "office/journal.sqlite", clip: nil)
        defer { if office.isRunning { office.terminate() } }
        let api = DaemonProcessTests()

        let started = try await api.request(port1, "session/start", body: #"{"patient":"P-1","treatment":"1/6","physician":"dr.oak"}"#, token: token1)
        #expect(started.0 == 200, "\(String(decoding: started.1, as: UTF8.self))")
        #expect(try await api.request(port2, "session/start", body: #"{"patient":"P-2","treatment":"1/6","physician":"dr.oak"}"#, token: token2).0 == 200)
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(900))
            async let a = api.request(port1, "snap", body: "{}", token: token1)
            async let b = api.request(port2, "snap", body: "{}", token: token2)
            let (first, second) = try await (a.0, b.0)
            #expect(first == 200 && second == 200)
        }
        #expect(try await api.request(port1, "session/stop", body: "{}", token: token1).0 == 200)
        #expect(try await api.request(port2, "session/stop", body: "{}", token: token2).0 == 200)
        let counted = (try await status(port1, token1)["totals"] as? [String: Any])?["stills"] as? Int ?? -1
        let counted2 = (try await status(port2, token2)["totals"] as? [String: Any])?["stills"] as? Int ?? -1

        var login = URLRequest(url: URL(string: "http://127.0.0.1:\(port3)/api/login")!)
        login.httpMethod = "POST"
        login.httpBody = Data(#"{"user":"dr.lee","password":"dr lee's office password"}"#.utf8)
        let (_, signedIn) = try await URLSession.shared.data(for: login)
        let cookie = try #require((signedIn as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first.map(String.init))
        func found(_ patient: String) async throws -> Int {
            var search = URLRequest(url: URL(string: "http://127.0.0.1:\(port3)/api/search?patient=\(patient)&limit=100")!)
            search.setValue(cookie, forHTTPHeaderField: "Cookie")
            let (data, answer) = try await URLSession.shared.data(for: search)
            #expect((answer as? HTTPURLResponse)?.statusCode == 200)
            let body = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return (body?["stills"] as? [Any])?.count ?? -1
        }
        #expect(counted >= 1 && counted2 >= 1, "\(counted) and \(counted2) stills")
        #expect(try await found("P-1") == counted, "room 1's stills, seen from the office")
        #expect(try await found("P-2") == counted2, "room 2's stills, seen from the office")
        #expect(try await shared.verifyAudit().isIntact)
        #expect(try await shared.verify(repair: false).isHealthy)
    }
}
