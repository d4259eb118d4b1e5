import Anatomy
import Archive
import Foundation
import Media
import Records
import Testing
@testable import Capture

/// One true clock for every live source: streams with and without timestamps, paced in
/// real time by a live producer, record the wall clock's span at the source's rate; a
/// snap is the picture on screen at the press; a lost signal resumes the same session.
@Suite("the session clock on live streams", .serialized)
struct SessionClockTests {
    static let clip = ImportFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path

    static func session() throws -> ProcedureSession {
        try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                             treatment: try TreatmentNumber(1, of: 4))
    }

    /// First and last frame times of a recording and its frame count.
    static func span(_ path: String) throws -> (first: Double, last: Double, frames: Int) {
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        var times: [Double] = []
        while let packet = try source.nextPacket() { times += try decoder.decode(packet).compactMap(\.time) }
        times += try decoder.flush().compactMap(\.time)
        return (times.min() ?? 0, times.max() ?? 0, times.count)
    }

    @Test("a stream on a pipe spans the wall clock at its own rate, and a snap is the picture at the press",
          arguments: [LiveProducer.Format.mjpeg(60), .h264(60), .hevc(30), .mpegts(50), .matroska(30), .rawvideo(30)])
    func trueTime(_ format: LiveProducer.Format) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("encoder.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let seconds = 5.0
        let producer = try LiveProducer(clip: Self.clip, fifo: fifo, format: format, seconds: seconds)
        var options = StreamOptions()
        if format.demuxer == "rawvideo" { options = StreamOptions(width: 640, height: 480, pixelFormat: "gray") }
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: format.demuxer, options: options)),
                                            archive: f.archive, session: try Self.session())
        // Between the clip's freezes (1.6-2.9 s and 8.3-9.5 s), so the snap is not a repeat of a freeze still.
        while capture.isRunning, capture.elapsed < 3.8 { try await Task.sleep(for: .milliseconds(5)) }
        let pressed = capture.elapsed
        capture.snap()
        producer.waitUntilDone()
        await capture.waitUntilEnded()
        #expect(capture.session.status == .completed)

        let (first, last, frames) = try Self.span(capture.recordingPath)
        let recorded = last - first + 1 / Double(format.rate)
        // The producer sent `seconds` of video in real time: so long the recording lasts.
        #expect(abs(recorded - seconds) < 0.5, "recording spans \(recorded) s of \(seconds) s")
        let rate = Double(frames - 1) / (last - first)
        #expect(abs(rate - Double(format.rate)) < 2, "recording plays at \(rate) fps, the source sent \(format.rate)")
        #expect(capture.counters.framesAnalysed > Int(seconds * 20), "analysis: \(capture.counters)")

        let stills = try await f.archive.stills(ofSession: capture.session.id)
        let snap = try #require(stills.first { $0.reason == .snap })
        // The picture on screen at the press: at most one frame before it (plus scheduling).
        #expect(snap.time <= pressed + 0.02 && pressed - snap.time < 1 / Double(format.rate) + 0.05,
                "snap pressed at \(pressed) s stored at \(snap.time) s")
        // The still is the recording's picture at the still's time.
        let stored = try PNG.decode(try f.archive.png(of: snap)).image
        let source = try MediaSource(.file(capture.recordingPath))
        let decoder = try VideoDecoder(for: source)
        // The recording's frame at the still's time: the nearest one. Not "the last one at
        // or before it": a bursty producer (ffmpeg's fps filter emits a repeated frame
        // and the next picture together) puts two different pictures a millisecond apart,
        // and containers round times (Matroska to a millisecond).
        var shown: Frame?
        var shownTime = -Double.infinity
        reading: while let packet = try source.nextPacket() {
            for frame in try decoder.decode(packet) {
                guard let time = frame.time else { continue }
                if time > snap.time + 1 { break reading }
                if abs(time - snap.time) < abs(shownTime - snap.time) { shown = frame; shownTime = time }
            }
        }
        #expect(abs(shownTime - snap.time) < 0.001, "the recording has no picture at the still's time \(snap.time) s (nearest \(shownTime) s)")
        let picture = try PixelConverter().image(from: try #require(shown), format: stored.format)
        let difference = stored.meanDifference(from: picture)
        // Copied streams decode to the same picture; rawvideo is re-encoded as H.264.
        #expect(difference < (format.demuxer == "rawvideo" ? 3 : 0.5), "still differs from the recording at its time by \(difference)")
        // The table, as measured here (kept in the test output).
        print(String(format: "session clock: %@ | recording spans %.2f s of %.1f s | plays at %.1f fps | snap pressed %.3f s, stored %.3f s | still vs recording %.2f",
                     format.testDescription, recorded, seconds, rate, pressed, snap.time, difference))
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("a signal lost for 2 s comes back into the same session, on the same clock, and tags are taken meanwhile")
    func signalLost() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let format = LiveProducer.Format.mjpeg(30)
        let first = try LiveProducer(clip: Self.clip, fifo: fifo, format: format, seconds: 3)
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg"), reopensSource: true),
                                            archive: f.archive, session: try Self.session())
        first.waitUntilDone()
        try await Task.sleep(for: .seconds(1.5))
        #expect(capture.isRunning)
        #expect(capture.health.signal == false)
        #expect(capture.health.noSignalSeconds > 0.5)
        // The tech tags while the picture is gone: the session takes it.
        let tag = try await capture.tag(try AnatomicSite(parsing: "L4-L5"), structure: nil, author: "sam")
        #expect(tag.time > 3)
        try await Task.sleep(for: .seconds(0.5))
        let second = try LiveProducer(clip: Self.clip, fifo: fifo, format: format, seconds: 3)
        while capture.isRunning, capture.health.parts < 2 { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .seconds(1))
        #expect(capture.health.signal)
        second.waitUntilDone()
        try await Task.sleep(for: .seconds(0.5))
        let ended = try await capture.stop()
        #expect(ended.status == .completed)
        #expect(capture.health.parts == 2)
        let (start, last, frames) = try Self.span(capture.recordingPath)
        // Both parts are in the recording, the second after the gap: about 3 + 2 + 3 s.
        #expect(abs(frames - 180) <= 6, "\(frames) frames recorded")
        #expect(start < 0.5 && abs(last - 8) < 0.7, "recording runs \(start)-\(last) s")
        #expect(try await f.archive.tags(ofSession: ended.id).count == 1)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("notes and pain scores saved while the session records survive its stop (the recorder writes only what it owns)")
    func editsDuringRecording() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let producer = try LiveProducer(clip: Self.clip, fifo: fifo, format: .mjpeg(30), seconds: 4)
        defer { producer.stop() }
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")),
                                            archive: f.archive, session: try Self.session())
        try await Task.sleep(for: .seconds(1))
        // The physician fills in the record form while the tech is still recording.
        var edited = try #require(try await f.archive.session(capture.session.id))
        edited.notes = "vasovagal episode at 10:42, settled lying flat"
        edited.painScores = try PainScores(before: 7, after: 3)
        try await f.archive.update(edited)
        let ended = try await capture.stop()
        #expect(ended.status == .completed)
        let stored = try #require(try await f.archive.session(ended.id))
        #expect(stored.status == .completed && stored.endedAt != nil)
        #expect(stored.notes == "vasovagal episode at 10:42, settled lying flat")
        #expect(stored.painScores == (try PainScores(before: 7, after: 3)))
        #expect(ended.notes == stored.notes)
    }
}
