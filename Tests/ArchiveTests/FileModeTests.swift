import Foundation
import Records
import Testing
@testable import Archive

/// Every file and folder under `root` (itself included), with its permission bits, not
/// following symbolic links: `(relative path, mode, is a folder)`.
func modesUnder(_ root: URL) -> [(path: String, mode: mode_t, folder: Bool)] {
    var found: [(path: String, mode: mode_t, folder: Bool)] = []
    func visit(_ path: String, shown: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let folder = info.st_mode & S_IFMT == S_IFDIR
        found.append((shown, info.st_mode & 0o7777, folder))
        guard folder else { return }
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
            visit(path + "/" + name, shown: shown == "." ? name : shown + "/" + name)
        }
    }
    visit(root.path, shown: ".")
    return found
}

/// The entries of `modesUnder` that are not exactly 0700 (folders) or 0600 (files), as `path 0755`.
func notOwnerOnly(_ root: URL) -> [String] {
    modesUnder(root).filter { $0.mode != ($0.folder ? 0o700 : 0o600) }.map { "\($0.path) \(String($0.mode, radix: 8))" }
}

@Suite("owner-only files: the archive, its database, stills, recordings, exports and the token are 0600 in 0700 folders", .enabled(if: ArchiveFixture.Store.isSQLite, "SQLite's own file"))
struct FileModeTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let needlelog = repository.appendingPathComponent(".build/debug/needlelog").path
    static let sampleClip = repository.appendingPathComponent("SampleData/lumbar-capture-640x480.mkv").path

    @Test("with the umask a shell has (022), a new archive, its database with WAL and SHM, and every still are owner-only")
    func inProcess() async throws {
        umask(0o022)
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let still = try await f.still(session, at: 1, site: "L4-L5")
        let files = f.archive.files.url(for: still.fileHash)
        let modes = Dictionary(uniqueKeysWithValues: modesUnder(f.root).map { ($0.path, $0.mode) })
        let hex = still.fileHash.hexDigits
        #expect(modes["."] == 0o700)
        #expect(modes["archive.sqlite"] == 0o600)
        #expect(modes["archive.sqlite-wal"] == 0o600)
        #expect(modes["archive.sqlite-shm"] == 0o600)
        #expect(modes["stills"] == 0o700 && modes["stills/\(hex.prefix(2))"] == 0o700)
        #expect(modes["stills/\(hex.prefix(2))/\(hex).png"] == 0o600)
        #expect(modes["incoming"] == 0o700 && modes["recordings"] == 0o700)
        #expect(FileManager.default.fileExists(atPath: files.path))
        #expect(notOwnerOnly(f.root) == [])
    }

    @Test("verify reports every file and folder open to others; repair makes them owner-only and the archive healthy")
    func verifyAndRepair() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let hex = try await f.still(session, at: 1, site: "L4-L5").fileHash.hexDigits
        let still = "stills/\(hex.prefix(2))/\(hex).png"
        // As an older NeedleLog, or a copy with `cp -r` under umask 022, left them.
        for (path, mode) in [(".", 0o755), ("archive.sqlite", 0o644), ("stills", 0o755), (still, 0o644)] {
            #expect(chmod(f.root.appendingPathComponent(path).path, mode_t(mode)) == 0)
        }
        let report = try await f.archive.verify(repair: false)
        #expect(report.problems == [
            .looseMode(path: ".", mode: 0o755, expected: 0o700),
            .looseMode(path: "archive.sqlite", mode: 0o644, expected: 0o600),
            .looseMode(path: "stills", mode: 0o755, expected: 0o700),
            .looseMode(path: still, mode: 0o644, expected: 0o600),
        ])
        #expect(report.problems[0].description == "open to others: the archive folder is 0755, should be 0700 (owner only; a repair tightens it)")
        #expect(report.problems[3].description == "open to others: \(still) is 0644, should be 0600 (owner only; a repair tightens it)")
        let repaired = try await f.archive.verify(repair: true)
        #expect(repaired.tightened == [".", "archive.sqlite", "stills", still])
        #expect(repaired.quarantined == [])
        #expect(notOwnerOnly(f.root) == [])
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("started from a shell with umask 022: an import, a recording, DICOM and PNG exports, the daemon's token and a backup are all owner-only")
    func commands() async throws {
        umask(0o022)
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-modes-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let archive = base.appendingPathComponent("archive").path
        let exports = base.appendingPathComponent("exports")
        try Self.run(["patients", "add", "P-1", "--family", "Doe", "--given", "Jane", "--born", "1971-03-02", "--sex", "female",
                      "--archive", archive])
        for (name, role, family, given) in [("dr.lee", "physician", "Lee", "Ann"), ("sam", "tech", "Rivera", "Sam")] {
            try Self.run(["users", "add", name, "--role", role, "--family", family, "--given", given, "--password-stdin", "--archive", archive],
                         input: Self.passwordLine())
        }
        try Self.run(["import", Self.sampleClip, "--patient", "P-1", "--tags", Self.sampleClip.replacingOccurrences(of: ".mkv", with: ".tags"),
                      "--archive", archive, "--quiet"])
        // A stream on standard input, as a capture card's would come.
        try Self.run(["record", "--pipe", "-", "--format", "matroska", "--patient", "P-1", "--archive", archive],
                     input: FileHandle(forReadingAtPath: Self.sampleClip))
        let store = try SQLiteArchive(location: ArchiveLocation(path: archive), create: false)
        let sessions = try await store.sessions(SessionFilter()).map(\.session)
        #expect(sessions.count == 2)
        for session in sessions {
            let id = session.id.uuidString.lowercased()
            try Self.run(["export", "dicom", "--session", id, "--out", exports.appendingPathComponent("dicom").path, "--archive", archive])
            try Self.run(["export", "png", "--session", id, "--out", exports.appendingPathComponent("png").path, "--archive", archive])
        }
        try await Self.runDaemonUntilToken(archive: archive)
        let backup = base.appendingPathComponent("backup")
        try Self.run(["backup", backup.path, "--archive", archive])

        let archiveModes = modesUnder(URL(fileURLWithPath: archive)).map(\.path)
        // What each step left is there to be checked.
        #expect(archiveModes.filter { $0.hasPrefix("recordings/") && ($0.hasSuffix(".mkv") || $0.hasSuffix(".mp4")) }.count == 2)
        #expect(archiveModes.filter { $0.hasPrefix("stills/") && $0.hasSuffix(".png") }.count >= 2)
        #expect(archiveModes.contains("archive.sqlite") && archiveModes.contains("daemon.token") && archiveModes.contains("archive.lock"))
        var stills = 0
        for session in sessions { stills += try await store.stills(ofSession: session.id).count }
        #expect(stills >= 2)
        let exported = modesUnder(exports).map(\.path)
        #expect(exported.filter { $0.hasSuffix(".dcm") }.count == stills)
        #expect(exported.filter { $0.hasPrefix("png/") && $0.hasSuffix(".png") }.count == stills)
        #expect(notOwnerOnly(URL(fileURLWithPath: archive)) == [])
        #expect(notOwnerOnly(exports) == [])
        #expect(modesUnder(backup).map(\.path).contains("manifest.json"))
        #expect(notOwnerOnly(backup) == [])
    }

    // MARK: - Processes

    struct Failed: Error, CustomStringConvertible { let description: String }

    /// Runs `needlelog` to its end; throws with its output when it fails.
    @discardableResult
    /// A password on standard input, for `users add --password-stdin`.
    static func passwordLine() throws -> FileHandle {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data("a long enough secret\n".utf8))
        try pipe.fileHandleForWriting.close()
        return pipe.fileHandleForReading
    }

    @discardableResult
    static func run(_ arguments: [String], input: FileHandle? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: needlelog)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        if let input { process.standardInput = input }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failed(description: "needlelog \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    /// Starts the daemon on a free port, waits for its token file, and stops it with SIGTERM.
    static func runDaemonUntilToken(archive: String) async throws {
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: needlelog)
        daemon.arguments = ["daemon", "--archive", archive, "--file", sampleClip, "--port", String(Int.random(in: 20000..<60000))]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            if daemon.isRunning { daemon.terminate() }
            daemon.waitUntilExit()
        }
        let token = archive + "/daemon.token"
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: token) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(FileManager.default.fileExists(atPath: token), "the daemon wrote no token")
    }
}
