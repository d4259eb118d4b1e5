import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

/// Frame-exact time on a feed whose rate changes: SampleKit frames that carry their own
/// number (``FrameCode``) are written as raw MJPEG into a FIFO by the test itself, at
/// 30, 60 and 24 fps, after a pause and with jitter, so the test knows when each frame
/// was sent and can read back which frame each still and each recorded picture is.
/// (The name ends in LiveCaptureTests: tools/test runs it alone, in real time.)
@Suite("a numbered feed at a variable rate", .serialized)
struct NumberedFeedLiveCaptureTests {
    /// Gaps before each frame after the first, in seconds, by stretch of the feed.
    struct Feed {
        var gaps: [Double] = []
        /// Frame numbers where each stretch begins, by name.
        var stretches: [(name: String, first: Int, rate: Double?)] = []

        mutating func add(_ name: String, frames: Int, rate: Double?, gap: () -> Double) {
            stretches.append((name, gaps.count + 1, rate))
            for _ in 0..<frames { gaps.append(gap()) }
        }

        var frameCount: Int { gaps.count + 1 }

        static func standard() -> Feed {
            var random = SplitMix(seed: 20)
            var feed = Feed()
            // A steady second first: the probe reads the stream's start ahead in a burst.
            feed.add("warm-up 30 fps", frames: 30, rate: 30) { 1 / 30 }
            feed.add("60 fps", frames: 60, rate: 60) { 1 / 60 }
            feed.add("24 fps", frames: 24, rate: 24) { 1 / 24 }
            feed.add("after a 0.3 s pause", frames: 1, rate: nil) { 0.3 }
            feed.add("jitter 10-50 ms", frames: 40, rate: nil) { 0.010 + 0.040 * random.unit() }
            feed.add("30 fps to the end", frames: 20, rate: 30) { 1 / 30 }
            return feed
        }
    }

    /// A seeded generator, so the jitter is the same in every run.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }

    /// The frame number a picture carries.
    static func number(of frame: Frame) throws -> Int? {
        let image = try PixelConverter().image(from: frame, format: .gray8)
        return number(of: image)
    }

    static func number(of image: Image) -> Int? {
        let gray = image.format == .gray8 ? image : image.grayscale()
        return FrameCode.read(width: gray.width, height: gray.height) { x, y in Int(gray.pixels[y * gray.width + x]) }
    }

    @Test("every frame recorded once, in order, at its own pace; each snap is the frame on screen at the press",
          arguments: [(640, 480), (1148, 624)])
    func variableRate(_ size: (width: Int, height: Int)) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let feed = Feed.standard()
        var spec = ClipSpec.lumbarCapture
        spec.width = size.width
        spec.height = size.height
        spec.frameCount = feed.frameCount
        spec.numbered = true
        let screen = ScannerScreen(spec: spec)
        let encoder = try JPEGEncoder(width: spec.width, height: spec.height)
        var jpegs: [Data] = []
        var rgb: [UInt8] = []
        for index in 0..<feed.frameCount {
            screen.render(frame: index, into: &rgb)
            jpegs.append(try encoder.encode(try Image(width: spec.width, height: spec.height, format: .rgb24, pixels: rgb)))
        }
        #expect(Self.number(of: try Image(width: spec.width, height: spec.height, format: .rgb24, pixels: rgb)) == feed.frameCount - 1)

        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Snaps are pressed halfway through showing these frames, one in each changing stretch.
        let presses = [feed.stretches[1].first + 30, feed.stretches[2].first + 12, feed.stretches[4].first + 20]
        let log = FeedLog()
        signal(SIGPIPE, SIG_IGN)
        let frames = jpegs
        let sender = Thread {
            let descriptor = open(fifo, O_WRONLY | O_CLOEXEC)   // waits for the reader
            defer { close(descriptor) }
            let start = ContinuousClock.now
            var due = start
            for (index, jpeg) in frames.enumerated() {
                if index > 0 { due += .seconds(feed.gaps[index - 1]) }
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
                jpeg.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                        if written <= 0 { return }
                        offset += written
                    }
                }
                log.sent(Date())
                if presses.contains(index), let live = log.capture {
                    Thread.sleep(forTimeInterval: min(feed.gaps[index], 0.05) / 2)
                    let now = Date()
                    live.snap(pressedAt: now)
                    log.pressed(frame: index, at: now)
                }
            }
        }
        sender.start()
        let session = try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                           treatment: try TreatmentNumber(1, of: 4))
        let live = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive, session: session)
        log.capture = live
        await live.waitUntilEnded()
        #expect(live.session.status == .completed)

        // The recording: every frame once, in order, and when it came.
        let source = try MediaSource(.file(live.recordingPath))
        let decoder = try VideoDecoder(for: source)
        var recorded: [(number: Int?, time: Double)] = []
        var pictures: [Frame] = []
        while let packet = try source.nextPacket() { pictures += try decoder.decode(packet) }
        pictures += try decoder.flush()
        for frame in pictures { recorded.append((try Self.number(of: frame), frame.time ?? -1)) }
        #expect(recorded.map(\.number) == Array(0..<feed.frameCount).map { Optional($0) },
                "recorded frames: \(recorded.map { $0.number.map(String.init) ?? "?" }.joined(separator: " "))")
        let times = recorded.map(\.time)
        let sendTimes = log.sendTimes
        try #require(times.count == feed.frameCount && sendTimes.count == feed.frameCount)
        let sentSpan = sendTimes.last!.timeIntervalSince(sendTimes[0])
        // After the warm-up, the recording keeps the sender's pace: each stretch spans what it
        // took to send (one frame of the demuxer's latency and scheduling aside).
        for (i, stretch) in feed.stretches.enumerated().dropFirst() {
            let last = i + 1 < feed.stretches.count ? feed.stretches[i + 1].first - 1 : feed.frameCount - 1
            let recordedSpan = times[last] - times[stretch.first]
            let sentStretch = sendTimes[last].timeIntervalSince(sendTimes[stretch.first])
            #expect(abs(recordedSpan - sentStretch) < 0.06, "\(stretch.name): recorded over \(recordedSpan) s, sent over \(sentStretch) s")
            if let rate = stretch.rate, last > stretch.first {
                let recordedRate = Double(last - stretch.first) / recordedSpan
                #expect(abs(recordedRate - rate) < rate * 0.1, "\(stretch.name): recorded at \(recordedRate) fps")
            }
        }
        let pause = feed.stretches[3].first
        #expect(times[pause] - times[pause - 1] > 0.25, "the 0.3 s pause was recorded as \(times[pause] - times[pause - 1]) s")
        #expect(abs((times.last! - times[0]) - sentSpan) < 0.5, "recording spans \(times.last! - times[0]) s, the feed took \(sentSpan) s")

        // Each snap: the frame on screen at the press, or the one before it (the demuxer
        // knows a raw MJPEG frame is complete only when the next one begins), never a
        // later one; its time names that frame in the recording.
        let stills = try await f.archive.stills(ofSession: live.session.id).filter { $0.reason == .snap }.sorted { $0.time < $1.time }
        let pressedFrames = log.presses
        try #require(stills.count == presses.count, "\(stills.count) snap stills for \(presses.count) presses")
        var report: [String] = []
        for (still, press) in zip(stills, pressedFrames) {
            let picture = try PNG.decode(try f.archive.png(of: still)).image
            let number = try #require(Self.number(of: picture), "no frame number in the still at \(still.time) s")
            #expect((press.frame - 1)...press.frame ~= number, "pressed while frame \(press.frame) was on screen, the still is frame \(number)")
            let nearest = recorded.min { abs($0.time - still.time) < abs($1.time - still.time) }!
            #expect(nearest.number == number && abs(nearest.time - still.time) < 0.001,
                    "the still (frame \(number), \(still.time) s) is not the recording's picture at its time (frame \(nearest.number ?? -1) at \(nearest.time) s)")
            report.append("frame \(press.frame) on screen, still is frame \(number)")
        }
        print("numbered feed \(size.width)x\(size.height): \(feed.frameCount) frames sent over \(String(format: "%.2f", sentSpan)) s, recorded \(recorded.count) over \(String(format: "%.2f", times.last! - times[0])) s; " + report.joined(separator: "; "))
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }
}

/// What the sending thread did, read by the test afterwards.
private final class FeedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _capture: LiveCapture?
    private var _sendTimes: [Date] = []
    private var _presses: [(frame: Int, at: Date)] = []

    var capture: LiveCapture? {
        get { lock.withLock { _capture } }
        set { lock.withLock { _capture = newValue } }
    }
    var sendTimes: [Date] { lock.withLock { _sendTimes } }
    var presses: [(frame: Int, at: Date)] { lock.withLock { _presses } }

    func sent(_ date: Date) { lock.withLock { _sendTimes.append(date) } }
    func pressed(frame: Int, at date: Date) { lock.withLock { _presses.append((frame, date)) } }
}
