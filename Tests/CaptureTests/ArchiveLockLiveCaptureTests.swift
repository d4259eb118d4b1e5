import Archive
import Foundation
import Records
import Testing
@testable import Capture

// The name ends in LiveCaptureTests so tools/test runs it with the real-time suites, alone.
@Suite("verify --repair during a live recording and an import quarantines nothing fresh", .serialized)
struct ArchiveLockLiveCaptureTests {
    @Test("repair is refused while a recording holds the archive, naming it; without the lock it still leaves the import's file alone")
    func repairDuringRecordingAndImport() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let live = try ImportFixture.truth("lumbar-capture-640x480")
        let fifo = f.root.appendingPathComponent("card.fifo").path
        _ = try PacedFeeder(clip: ImportFixture.clip(live), fifo: fifo, duration: live.durationSeconds)
        let recorder = try NeedleLogProcess(["record", "--archive", f.root.path, "--pipe", fifo, "--format", "matroska", "--patient", "P-1"])
        try await Task.sleep(for: .seconds(1))
        let clip = try ImportFixture.truth("cervical-1280x720")
        let importer = try NeedleLogProcess(["import", ImportFixture.clip(clip), "--patient", "P-1", "--archive", f.root.path, "--quiet"])

        // The importer writes its recording under incoming/ while it analyses the clip.
        var staging: URL?
        for _ in 0..<1000 where staging == nil && importer.isRunning {
            staging = try FileManager.default.contentsOfDirectory(at: f.archive.location.incoming, includingPropertiesForKeys: nil)
                .first { $0.lastPathComponent.hasSuffix(".recording") }
            if staging == nil { try await Task.sleep(for: .milliseconds(5)) }
        }
        let inFlight = try #require(staging, "never saw the importer's recording in incoming/")
        // Even run without the lock, repair leaves what is being written alone.
        let unlocked = try await f.archive.verify(repair: true)
        #expect(unlocked.quarantined == [])
        #expect(unlocked.leftAlone.contains("incoming/\(inFlight.lastPathComponent)"), "\(unlocked.leftAlone)")

        // The command takes the lock alone: refused, naming the recorder.
        let repair = try await NeedleLogProcess.run(["verify", "--repair", "--lock-wait", "0.5", "--archive", f.root.path])
        #expect(repair.status == 1)
        #expect(repair.output.contains("cannot repair the archive: the archive at \(f.root.path) is in use by "), "\(repair.output)")
        #expect(repair.output.contains("needlelog record --archive \(f.root.path)"), "\(repair.output)")
        #expect(repair.output.contains("(pid \(recorder.process.processIdentifier))"), "\(repair.output)")

        let imported = await importer.wait()
        #expect(imported.status == 0, "\(imported.output)")
        let recorded = await recorder.wait()
        #expect(recorded.status == 0, "\(recorded.output)")
        #expect(!FileManager.default.fileExists(atPath: f.archive.location.quarantine.path))
        let sessions = try await f.archive.sessions(SessionFilter()).map(\.session)
        #expect(sessions.count == 2)
        #expect(sessions.allSatisfy { $0.status == .completed })
        for session in sessions {
            let recording = f.root.appendingPathComponent(try #require(session.recording).value).path
            #expect(FileManager.default.fileExists(atPath: recording))
            #expect(try await f.archive.stills(ofSession: session.id).count >= 1)
        }
        // Now that nobody writes, repair runs and finds nothing to do.
        let after = try await NeedleLogProcess.run(["verify", "--repair", "--archive", f.root.path])
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output.hasSuffix("ok\n"), "\(after.output)")
    }
}
