import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

/// The live path at a scanner's own picture sizes: a paced pipe, freezes and several
/// snaps, every still compared with FFmpeg's decode of the frame it came from.
@Suite("live capture at real picture sizes", .serialized)
struct LiveCaptureSizeTests {
    static let cases: [ResizedClip] = [
        // The size and feed that aborted the daemon at its second still.
        ResizedClip(base: "cervical-1280x720", width: 1148, height: 624, pixelFormat: "yuvj422p", codec: ResizedClip.mjpeg, fileExtension: "mkv"),
        ResizedClip(base: "lumbar-capture-640x480", width: 1023, height: 481, pixelFormat: "gray", codec: ResizedClip.raw, fileExtension: "nut"),
        ResizedClip(base: "cervical-1280x720", width: 718, height: 480, pixelFormat: "yuv420p", codec: ResizedClip.h264, fileExtension: "mkv"),
    ]

    @Test("a paced pipe at an odd size: a still per freeze and per snap, each the frame FFmpeg decodes", arguments: cases)
    func pacedPipe(_ clip: ResizedClip) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth(clip.base)
        let (path, folder) = try clip.make(besides: f.root, truth: truth)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = clip.cut(truth)
        let duration = Double(cut.frameCount) / Double(truth.framesPerSecond)
        let fifo = f.root.appendingPathComponent("card.fifo").path
        _ = try PacedFeeder(clip: path, fifo: fifo, duration: duration)
        let session = try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                           treatment: try TreatmentNumber(1, of: 4))
        let format = clip.fileExtension == "nut" ? "nut" : "matroska"
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: format)), archive: f.archive, session: session)
        // Snaps at stream times between the freezes (a snap inside a freeze would repeat
        // the freeze's still and be dropped as a duplicate).
        // The first freeze starts 18 frames in: the first snap comes before it (the feeder
        // paces bytes, so the first large frames arrive late; the snap waits for the stream).
        let gaps = [0.45, (Double(cut.freezes[0].upperBound + cut.freezes[1].lowerBound) / 2) / Double(truth.framesPerSecond)]
        var pressed: [Double] = []
        for time in gaps {
            while capture.isRunning, capture.elapsed < time { try await Task.sleep(for: .milliseconds(5)) }
            // The press as the session's clock saw it (the task may wake later than asked).
            pressed.append(capture.elapsed)
            capture.snap()
        }
        await capture.waitUntilEnded()
        #expect(capture.session.status == .completed)
        #expect(capture.counters.framesDecoded == cut.frameCount)
        #expect(capture.counters.packetsRecorded == capture.counters.packets)
        let stills = try await f.archive.stills(ofSession: session.id)
        // Each freeze gives a still, unless its picture repeats the still before it (a snap
        // just before the freeze, on a screen that barely changed): then it is counted as a duplicate.
        let freezes = stills.filter { $0.reason == .freeze }.sorted { $0.time < $1.time }
        #expect(freezes.count + capture.counters.duplicateStills >= 2 && !freezes.isEmpty, "\(capture.counters)")
        for still in freezes {
            let frame = try #require(still.sourceFrame)
            #expect(cut.freezes.contains { $0.contains(frame) }, "freeze still of frame \(frame), freezes \(cut.freezes)")
        }
        let snaps = stills.filter { $0.reason == .snap }.sorted { $0.time < $1.time }
        #expect(snaps.count == 2)
        for (snap, press) in zip(snaps, pressed) {
            // The picture on screen at the press: at most one frame (1/30 s) before it.
            #expect(snap.time <= press + 0.02 && press - snap.time < 0.09, "snap pressed at \(press) s stored at \(snap.time) s")
        }
        #expect(stills.allSatisfy { $0.width == clip.width && $0.height == clip.height })
        try expectStillsMatchFFmpeg(stills, archive: f.archive, clip: path)
        #expect(decodableFrames(capture.recordingPath) == cut.frameCount)
        let report = try await f.archive.verify(repair: false)
        #expect(report.isHealthy, "\(report)")
    }
}
