import Foundation
import GRDB
import Records
import Testing
@testable import Archive

@Suite("verify finds every kind of damage, and repair moves files aside without deleting")
struct VerifyTests {
    private func archiveWithStills() async throws -> (ArchiveFixture, [Still]) {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        var stills: [Still] = []
        for time in [1.0, 2.0, 3.0] { stills.append(try await f.still(session, at: time, site: "L5-S1")) }
        return (f, stills)
    }

    @Test("a healthy archive passes")
    func healthy() async throws {
        let (f, _) = try await archiveWithStills()
        let report = try await f.archive.verify(repair: false)
        #expect(report.isHealthy)
        #expect(report.stills == 3 && report.files == 3 && report.schemaVersion == (ArchiveFixture.Store.isSQLite ? ArchiveSchema.currentVersion : PostgresSchema.currentVersion))
    }

    @Test("a deleted file: the row is reported without its file")
    func deletedFile() async throws {
        let (f, stills) = try await archiveWithStills()
        try FileManager.default.removeItem(at: f.archive.files.url(for: stills[1].fileHash))
        let report = try await f.archive.verify(repair: false)
        #expect(report.problems == [.missingFile(still: stills[1].id, hash: stills[1].fileHash.hexDigits)])
    }

    @Test("a flipped byte: the file no longer matches its hash")
    func flippedByte() async throws {
        let (f, stills) = try await archiveWithStills()
        let url = f.archive.files.url(for: stills[0].fileHash)
        var data = try Data(contentsOf: url)
        data[data.count / 2] ^= 0x01
        try data.write(to: url)
        let report = try await f.archive.verify(repair: false)
        #expect(report.problems.count == 1)
        guard case .hashMismatch(let path, _) = report.problems.first else {
            Issue.record("expected a hash mismatch, got \(report.problems)")
            return
        }
        #expect(path == "stills/\(stills[0].fileHash.hexDigits.prefix(2))/\(stills[0].fileHash.hexDigits).png")
    }

    @Test("an extra file: an orphan no row claims, and a stray; repair moves both to quarantine")
    func extraFiles() async throws {
        let (f, _) = try await archiveWithStills()
        let orphan = try f.png().data
        let orphanHash = try f.archive.files.store(orphan)       // a file whose row never came (a crash between the two)
        let stray = f.root.appendingPathComponent("stills/ab/notes.txt")
        try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try Data("copied by hand".utf8).write(to: stray)
        let partial = f.archive.location.incoming.appendingPathComponent("1234.partial")
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: partial)

        // A minute later: files that young may still be in the middle of being written.
        let later = Date().addingTimeInterval(SQLiteArchive.inFlightAge + 1)
        let report = try await f.archive.verify(repair: false, now: later)
        #expect(report.problems.contains(.orphanFile(path: "stills/\(orphanHash.hexDigits.prefix(2))/\(orphanHash.hexDigits).png")))
        #expect(report.problems.contains(.strayFile(path: "stills/ab/notes.txt")))
        #expect(report.problems.contains(.strayFile(path: "incoming/1234.partial")))
        #expect(report.problems.count == 3)

        let repaired = try await f.archive.verify(repair: true, now: later)
        #expect(repaired.quarantined.count == 3)
        for moved in repaired.quarantined {
            #expect(moved.hasPrefix("quarantine/"))
            #expect(FileManager.default.fileExists(atPath: f.root.appendingPathComponent(moved).path))
        }
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("a row without its parent (written around the foreign keys) is an orphan row", .enabled(if: ArchiveFixture.Store.isSQLite, "SQLite's own file"))
    func orphanRow() async throws {
        let (f, _) = try await archiveWithStills()
        try await f.sqlite.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM session")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let report = try await f.archive.verify(repair: false)
        let orphans = report.problems.filter { if case .orphanRow = $0 { true } else { false } }
        #expect(orphans.count == 3)
        #expect(orphans.first?.description.contains("still") == true)
    }
}
