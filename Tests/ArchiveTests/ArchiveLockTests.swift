import Foundation
import Records
import Testing
@testable import Archive

@Suite("the archive lock: writers share it, repair holds it alone, and repair leaves fresh files alone")
struct ArchiveLockTests {
    @Test("two writers hold it together; repair is refused with who holds it, and gets it once they let go")
    func sharedAndExclusive() async throws {
        let f = try await ArchiveFixture()
        let location = f.archive.location
        let recorder = try await ArchiveLock.acquire(.shared, in: location, purpose: "record")
        let importer = try await ArchiveLock.acquire(.shared, in: location, wait: .zero, purpose: "import")
        let started = ContinuousClock.now
        do {
            _ = try await ArchiveLock.acquire(.exclusive, in: location, wait: .milliseconds(400), purpose: "repair the archive")
            Issue.record("repair got the lock while two writers held it")
        } catch let error as ArchiveError {
            #expect(error.kind == .conflict)
            // Who holds it: this process (the test runner), by command and pid.
            #expect(error.message.hasPrefix("cannot repair the archive: the archive at \(location.root.path) is in use by "), "\(error.message)")
            #expect(error.message.contains("(pid \(getpid()))"), "\(error.message)")
            #expect(error.message.contains("waited 0.4 s") && error.message.contains("must run alone"), "\(error.message)")
        }
        #expect(ContinuousClock.now - started >= .milliseconds(400))
        recorder.release()
        importer.release()
        let repair = try await ArchiveLock.acquire(.exclusive, in: location, wait: .zero, purpose: "repair the archive")
        await #expect(throws: ArchiveError.self) {
            _ = try await ArchiveLock.acquire(.shared, in: location, wait: .milliseconds(100), purpose: "record")
        }
        repair.release()
        // A writer waiting for a repair gets in as soon as the repair ends.
        let again = try await ArchiveLock.acquire(.exclusive, in: location, wait: .zero, purpose: "repair the archive")
        // Released from a thread of its own: other suites may keep every task thread busy.
        Thread {
            Thread.sleep(forTimeInterval: 0.2)
            again.release()
        }.start()
        let late = try await ArchiveLock.acquire(.shared, in: location, wait: .seconds(5), purpose: "record")
        late.release()
        #expect(OwnerOnly.mode(of: ArchiveLock.url(in: location).path) == 0o600)
    }

    @Test("repair leaves a still without its row and a temporary in incoming/ alone while younger than a minute, and moves them after")
    func freshFilesLeftAlone() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let kept = try await f.still(session, at: 1, site: "L5-S1")
        // A recorder between a still's file and its row, and an importer's recording being written.
        let orphan = try f.archive.files.store(try f.png().data)
        let staging = f.archive.location.incoming.appendingPathComponent("\(UUID().uuidString.lowercased()).recording")
        try Data(repeating: 7, count: 4096).write(to: staging)
        let orphanPath = "stills/\(orphan.hexDigits.prefix(2))/\(orphan.hexDigits).png"
        let stagingPath = "incoming/\(staging.lastPathComponent)"

        let now = try await f.archive.verify(repair: true)
        #expect(now.quarantined == [])
        #expect(now.problems == [])
        #expect(now.leftAlone.sorted() == [stagingPath, orphanPath].sorted())
        #expect(FileManager.default.fileExists(atPath: staging.path))
        #expect(FileManager.default.fileExists(atPath: f.archive.files.url(for: orphan).path))
        #expect(!FileManager.default.fileExists(atPath: f.archive.location.quarantine.path))

        // A minute on, nobody is writing them any more: out of place, and moved.
        let later = try await f.archive.verify(repair: true, now: Date().addingTimeInterval(SQLiteArchive.inFlightAge + 1))
        #expect(later.problems == [.orphanFile(path: orphanPath), .strayFile(path: stagingPath)])
        #expect(later.quarantined.count == 2)
        #expect(later.leftAlone == [])
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(FileManager.default.fileExists(atPath: f.archive.files.url(for: kept.fileHash).path))
    }
}
