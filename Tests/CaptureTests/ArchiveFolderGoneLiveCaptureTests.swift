import Anatomy
import Archive
import Foundation
import Records
import Testing
@testable import Capture

/// The archive's recordings folder removed under a running recorder (a tidy-up script, a
/// wrong `rm -rf`): the recording stops within moments and the session says why, rather
/// than writing on into a file no one can reach.
/// (The name ends in LiveCaptureTests: tools/test runs it alone, in real time.)
@Suite("the recordings folder removed while recording", .serialized)
struct ArchiveFolderGoneLiveCaptureTests {
    @Test("the recording stops within 2 s; the session is failed with the reason, its tag kept")
    func folderRemoved() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let producer = try LiveProducer(clip: SessionClockTests.clip, fifo: fifo, format: .mjpeg(30), seconds: 10)
        defer { producer.stop() }
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive,
                                            session: try SessionClockTests.session())
        try await Task.sleep(for: .seconds(1))
        _ = try await capture.tag(try AnatomicSite(parsing: "L4-L5"), structure: nil, author: "sam")
        try await Task.sleep(for: .seconds(0.5))
        try FileManager.default.removeItem(at: f.archive.location.recordings)
        let removed = ContinuousClock.now
        while capture.isRunning, ContinuousClock.now - removed < .seconds(5) { try await Task.sleep(for: .milliseconds(50)) }
        let took = SessionClock.seconds(ContinuousClock.now - removed)
        #expect(!capture.isRunning && took < 2.5, "the recording went on \(took) s after its folder was removed")
        let stored = try #require(try await f.archive.session(capture.session.id))
        #expect(stored.status == .failed)
        #expect(stored.statusReason?.contains("the recording's file is gone") == true, "\(stored.statusReason ?? "no reason")")
        #expect(try await f.archive.tags(ofSession: stored.id).count == 1)
    }
}
