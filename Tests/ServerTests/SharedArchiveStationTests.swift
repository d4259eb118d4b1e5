import Archive
import Foundation
import Records
import Testing
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
}
