import Archive
import Foundation
import Media
import Records
import Testing
@testable import Capture

// The name ends in LiveCaptureTests so tools/test runs it with the real-time suites, alone.
@Suite("a backup taken while a live recording runs restores whole", .serialized)
struct BackupLiveCaptureTests {
    @Test("needlelog backup during `needlelog record`: the restore passes verify and audit verify, with every still and a playable recording")
    func backupWhileRecording() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let base = f.root.deletingLastPathComponent().appendingPathComponent("needlelog-backup-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: base) }
        let truth = try ImportFixture.truth("lumbar-capture-640x480")
        let fifo = f.root.appendingPathComponent("card.fifo").path
        _ = try PacedFeeder(clip: ImportFixture.clip(truth), fifo: fifo, duration: truth.durationSeconds)
        let recorder = try NeedleLogProcess(["record", "--archive", f.root.path, "--pipe", fifo, "--format", "matroska", "--patient", "P-1"])
        // Someone looks at the patient meanwhile: the trail the backup must carry whole.
        try await f.archive.audit(AuditEvent(actor: "dr.lee", action: .viewSession, target: "session:live", patientID: "P-1"))

        // Wait for the still of the first freeze (1.6-2.9 s into the clip) to be stored.
        var live: ProcedureSession?
        var stillsBefore: [Still] = []
        for _ in 0..<300 where stillsBefore.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            live = try await f.archive.sessions(SessionFilter(status: .recording)).first?.session
            if let live { stillsBefore = try await f.archive.stills(ofSession: live.id) }
        }
        let session = try #require(live, "the recorder never started a session")
        try #require(!stillsBefore.isEmpty, "no still while recording")
        let eventsBefore = try await f.archive.verifyAudit().events

        let destination = base.appendingPathComponent("backup")
        let backup = try await NeedleLogProcess.run(["backup", destination.path, "--archive", f.root.path])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(recorder.isRunning, "the recording should still be running after the backup")
        let recorded = await recorder.wait()
        #expect(recorded.status == 0, "\(recorded.output)")
        #expect(try await f.archive.session(session.id)?.status == .completed)

        let manifest = try ArchiveBackup.readManifest(in: destination)
        let recordingPath = try #require(session.recording).value
        let copied = try #require(manifest.files.first { $0.path == recordingPath })
        let whole = try FileManager.default.attributesOfItem(atPath: f.root.appendingPathComponent(recordingPath).path)[.size] as? Int64
        #expect(copied.bytes > 0 && copied.bytes < whole ?? 0, "the backup copied \(copied.bytes) of \(whole ?? 0) bytes of the growing recording")

        let restoredRoot = base.appendingPathComponent("restored")
        let restore = try await NeedleLogProcess.run(["restore", destination.path, "--archive", restoredRoot.path])
        #expect(restore.status == 0, "\(restore.output)")
        #expect(restore.output.contains("every SHA-256 matched the manifest"), "\(restore.output)")
        #expect(restore.output.contains("verify: ok"), "\(restore.output)")
        #expect(restore.output.contains("audit trail: intact"), "\(restore.output)")

        let restored = try SQLiteArchive(location: ArchiveLocation(root: restoredRoot), create: false)
        #expect(try await restored.verify(repair: false).isHealthy)
        let audit = try await restored.verifyAudit()
        // Everything up to the backup, and the restore itself.
        #expect(audit.isIntact && audit.events >= eventsBefore + 1, "\(audit)")
        // Every still the recording had when the backup began, with the same bytes; and none the
        // snapshot did not have.
        let stillsRestored = try await restored.stills(ofSession: session.id)
        #expect(Set(stillsBefore.map(\.id)).isSubset(of: Set(stillsRestored.map(\.id))))
        #expect(stillsRestored.count == manifest.stills)
        for still in stillsRestored {
            #expect(try restored.png(of: still) == (try f.archive.png(of: still)))
        }
        // Recording when copied: marked interrupted, and its recording plays up to where it was copied.
        let restoredSession = try #require(try await restored.session(session.id))
        #expect(restoredSession.status == .interrupted)
        let frames = decodableFrames(restoredRoot.appendingPathComponent(recordingPath).path)
        #expect(frames > truth.framesPerSecond, "the restored recording decodes \(frames) frames")
    }
}
