import Foundation
import Records
import Testing
@testable import Archive

@Suite("backup and restore: a checked copy that restores whole or not at all", .enabled(if: ArchiveFixture.Store.isSQLite, "SQLite's own file"))
struct BackupTests {
    /// An archive with three stills, a session with a recording file, and audit events.
    private func archive() async throws -> (ArchiveFixture, ProcedureSession, [Still], URL) {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let id = UUID()
        let name = "recordings/\(id.uuidString.lowercased()).mkv"
        let recording = f.root.appendingPathComponent(name)
        try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: recording)
        let session = try ProcedureSession(id: id, patientID: PatientID("P-1"), startedAt: ArchiveFixture.date(day: 3), physician: "dr.lee",
                                           tech: "sam", treatment: TreatmentNumber(1, of: 2), recording: ArchivePath(name))
        try await f.archive.add(session)
        var stills: [Still] = []
        for time in [1.0, 2.0, 3.0] { stills.append(try await f.still(session, at: time, site: "L4-L5")) }
        try await f.archive.audit(AuditEvent(actor: "dr.lee", action: .viewSession, target: "session:\(id.uuidString.lowercased())", patientID: "P-1"))
        try await f.archive.audit(AuditEvent(actor: "dr.lee", action: .annotate, target: "still:\(stills[0].id.uuidString.lowercased())", patientID: "P-1"))
        return (f, session, stills, recording)
    }

    private static func sha256(_ url: URL) throws -> String {
        StillFileStore.hash(try Data(contentsOf: url)).hexDigits
    }

    private func scratch() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-backup-" + UUID().uuidString)
    }

    @Test("backup then restore: every still and the recording with the same bytes, verify clean, the audit trail intact")
    func roundTrip() async throws {
        let (f, session, stills, recording) = try await archive()
        let base = scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let destination = base.appendingPathComponent("backup")
        let manifest = try await f.archive.backup(to: destination)

        let recordingPath = try #require(session.recording).value
        let stillPaths = stills.map { "stills/\($0.fileHash.hexDigits.prefix(2))/\($0.fileHash.hexDigits).png" }
        #expect(manifest.files.map(\.path).sorted() == (["archive.sqlite", recordingPath] + stillPaths).sorted())
        #expect(manifest.stills == 3 && manifest.recordings == 1 && manifest.schemaVersion == ArchiveSchema.currentVersion)
        for entry in manifest.files {
            let copied = destination.appendingPathComponent(entry.path)
            #expect(try Self.sha256(copied) == entry.sha256, "\(entry.path)")
            #expect(try Data(contentsOf: copied).count == entry.bytes)
        }
        // A still's name is its SHA-256; the recording's bytes are the archive's.
        for (still, path) in zip(stills, stillPaths) {
            #expect(manifest.files.first { $0.path == path }?.sha256 == still.fileHash.hexDigits)
        }
        #expect(manifest.files.first { $0.path == recordingPath }?.sha256 == (try Self.sha256(recording)))
        #expect(FileManager.default.fileExists(atPath: destination.appendingPathComponent("manifest.json").path))
        #expect(!FileManager.default.fileExists(atPath: destination.appendingPathComponent("archive.sqlite-wal").path))
        #expect(notOwnerOnly(destination) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["backup"])

        let location = ArchiveLocation(root: base.appendingPathComponent("restored"))
        let restored = try await ArchiveBackup.restore(from: destination, to: location)
        #expect(restored.manifest == manifest)
        // It was still recording when backed up: a restored archive records nothing.
        #expect(restored.interrupted == [session.id])
        let again = try SQLiteArchive(location: location, create: false)
        #expect(try await again.verify(repair: false).isHealthy)
        let audit = try await again.verifyAudit()
        #expect(audit.isIntact && audit.events == 2)
        #expect(try await again.stills(ofSession: session.id).map(\.id) == stills.map(\.id))
        for still in stills {
            #expect(try again.png(of: still) == (try f.archive.png(of: still)))
        }
        #expect(try Data(contentsOf: location.root.appendingPathComponent(recordingPath)) == (try Data(contentsOf: recording)))
        #expect(try await again.session(session.id)?.status == .interrupted)
        #expect(notOwnerOnly(location.root) == [])
    }

    @Test("restore refuses an existing archive and a folder with anything in it, and changes nothing")
    func refusesToOverwrite() async throws {
        let (f, _, _, _) = try await archive()
        let base = scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let destination = base.appendingPathComponent("backup")
        try await f.archive.backup(to: destination)
        let before = try Data(contentsOf: f.archive.location.database)
        do {
            _ = try await ArchiveBackup.restore(from: destination, to: f.archive.location)
            Issue.record("restored over an existing archive")
        } catch let error as ArchiveError {
            #expect(error.kind == .conflict)
            #expect(error.message == "there is already an archive at \(f.root.path): restore never writes over one. Choose a new folder for the restored archive; nothing was changed")
        }
        #expect(try Data(contentsOf: f.archive.location.database) == before)
        let occupied = base.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: occupied.appendingPathComponent("notes.txt"))
        do {
            _ = try await ArchiveBackup.restore(from: destination, to: ArchiveLocation(root: occupied))
            Issue.record("restored into a folder with a file in it")
        } catch let error as ArchiveError {
            #expect(error.kind == .conflict)
            #expect(error.message.contains("\(occupied.path): the folder is not empty (notes.txt)"), "\(error.message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: occupied.path) == ["notes.txt"])
        // A backup refuses the same way: never over another backup, never inside the archive.
        await #expect(throws: ArchiveError.self) { try await f.archive.backup(to: occupied) }
        await #expect(throws: ArchiveError.self) { try await f.archive.backup(to: f.root.appendingPathComponent("backup")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == ["backup", "occupied"])
    }

    @Test("a backup with a changed still and a missing recording is refused whole, naming both; nothing is written")
    func damagedBackup() async throws {
        let (f, session, stills, _) = try await archive()
        let base = scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let destination = base.appendingPathComponent("backup")
        try await f.archive.backup(to: destination)
        let still = "stills/\(stills[1].fileHash.hexDigits.prefix(2))/\(stills[1].fileHash.hexDigits).png"
        let stillURL = destination.appendingPathComponent(still)
        var bytes = try Data(contentsOf: stillURL)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: stillURL)
        let recordingPath = try #require(session.recording).value
        try FileManager.default.removeItem(at: destination.appendingPathComponent(recordingPath))

        let target = base.appendingPathComponent("restored")
        do {
            _ = try await ArchiveBackup.restore(from: destination, to: ArchiveLocation(root: target))
            Issue.record("a damaged backup was restored")
        } catch let error as ArchiveError {
            #expect(error.kind == .invalid)
            #expect(error.message.hasPrefix("the backup at \(destination.path) does not match its manifest: "), "\(error.message)")
            #expect(error.message.contains("\(recordingPath) is missing"), "\(error.message)")
            #expect(error.message.contains("\(still) has \(bytes.count) bytes with SHA-256"), "\(error.message)")
            #expect(error.message.hasSuffix("Nothing was restored; restore from another backup"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["backup"])
    }

    @Test("a backup that fails midway leaves neither the destination nor its temporary folder")
    func failedBackupLeavesNothing() async throws {
        let (f, session, _, recording) = try await archive()
        let base = scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // The session's recording cannot be read as a file: the copy fails after the database and stills.
        try FileManager.default.removeItem(at: recording)
        try FileManager.default.createDirectory(at: recording, withIntermediateDirectories: true)
        let destination = base.appendingPathComponent("backup")
        do {
            try await f.archive.backup(to: destination)
            Issue.record("backed up an unreadable recording")
        } catch let error as ArchiveError {
            #expect(error.kind == .storage)
            #expect(error.message.contains(try #require(session.recording).value), "\(error.message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == [])
    }

    @Test("a folder without a manifest, or a manifest naming a path outside an archive, is not a backup")
    func notABackup() async throws {
        let base = scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let target = ArchiveLocation(root: base.appendingPathComponent("restored"))
        do {
            _ = try await ArchiveBackup.restore(from: base, to: target)
            Issue.record("restored a folder without a manifest")
        } catch let error as ArchiveError {
            #expect(error.message == "\(base.path) is not a NeedleLog backup: it has no manifest.json; restore from a backup made of an archive")
            #expect(error.remedy == .makeBackup)
        }
        let manifest = """
            {"format": "needlelog-backup", "version": 1, "createdAt": "2024-01-01T00:00:00Z", "schemaVersion": 1, "source": "/x",
             "files": [{"path": "archive.sqlite", "bytes": 0, "sha256": "00"}, {"path": "stills/../../etc/passwd", "bytes": 0, "sha256": "00"}]}
            """
        try Data(manifest.utf8).write(to: base.appendingPathComponent("manifest.json"))
        do {
            _ = try await ArchiveBackup.restore(from: base, to: target)
            Issue.record("restored a manifest that leaves the archive")
        } catch let error as ArchiveError {
            #expect(error.kind == .invalid)
            #expect(error.message.contains("\"stills/../../etc/passwd\", which is not a file of an archive"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: target.root.path))
    }
}
