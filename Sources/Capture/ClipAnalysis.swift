import Archive
import Foundation
import Media
import Records

/// One pass over a clip for import: every packet to the recording, every frame
/// decoded, frames thinned to the analysis rate go through freeze detection, and
/// stills are taken at freezes and at requested snap times.
struct ClipAnalysis {
    let source: MediaSource
    let recorder: Recorder
    let decoder: VideoDecoder
    let options: ClipImporter.Options
    let progress: (ImportProgress) -> Void
    private(set) var counters = CaptureCounters()
    private(set) var lastFrameTime = 0.0

    private var pipeline: AnalysisPipeline
    private var pendingSnaps: [Double]
    /// Whether the decoder may drop non-reference pictures: only when the recording copies
    /// packets (an encoded recording needs every picture), and only while what is decoded
    /// still comes at least as often as analysis looks.
    private var mayDropPictures: Bool
    private var numbering = PictureNumbering()
    private var stills: [StillFile] = []
    private var sessionID = UUID()

    init(source: MediaSource, recordingPath: String, options: ClipImporter.Options,
         progress: @escaping (ImportProgress) -> Void) throws {
        self.source = source
        self.options = options
        self.progress = progress
        recorder = try Recorder(path: recordingPath, source: source)
        decoder = try VideoDecoder(for: source)
        pendingSnaps = options.snapTimes.sorted()
        pipeline = AnalysisPipeline(analysisRate: options.analysisRate)
        mayDropPictures = recorder.mode == .copy && !decoder.isIntraOnly
    }

    mutating func run(sessionID: UUID) throws -> [StillFile] {
        self.sessionID = sessionID
        let clock = ContinuousClock()
        let started = clock.now
        var lastReport = started
        var previous: (frame: Frame, index: Int)?
        while let packet = try source.nextPacket() {
            counters.packets += 1
            if recorder.mode == .copy {
                try recorder.record(packet)
                counters.packetsRecorded += 1
            }
            numbering.packet(at: packet.time)
            if mayDropPictures {
                // Without a time on every packet a dropped picture could not be counted.
                if !numbering.isComplete { mayDropPictures = false }
                decoder.skipsNonReferencePictures = mayDropPictures && !snapIsNear
            }
            for frame in try decoder.decode(packet) {
                try handle(frame, previous: &previous)
            }
            if clock.now - lastReport > .milliseconds(200) {
                lastReport = clock.now
                progress(report(elapsed: clock.now - started))
            }
        }
        for frame in try decoder.flush() {
            try handle(frame, previous: &previous)
        }
        if let last = previous {
            try takeSnaps(until: nil, on: last.frame, index: last.index)
        }
        try recorder.finish()
        counters.recordingBytes = Int64((try? FileManager.default.attributesOfItem(atPath: recorder.path)[.size] as? Int) ?? 0)
        counters.decodeErrors = decoder.errorCount
        counters.framesNotDecoded = max(0, counters.packets - counters.framesDecoded - counters.decodeErrors)
        progress(report(elapsed: clock.now - started))
        return stills
    }

    private mutating func handle(_ frame: Frame, previous: inout (frame: Frame, index: Int)?) throws {
        let time = frame.time ?? lastFrameTime
        // The picture's number in the stream, dropped pictures counted.
        let index = numbering.isComplete && frame.time != nil ? numbering.number(ofPictureAt: time) : counters.framesDecoded
        counters.framesDecoded += 1
        // Pictures further apart than analysis looks (a stream whose references are few):
        // dropping the others starves it, so from here on every picture is decoded.
        if mayDropPictures, previous != nil, time - lastFrameTime > 1 / options.analysisRate {
            mayDropPictures = false
            decoder.skipsNonReferencePictures = false
        }
        // A snap at t is the frame on screen at t: the one before the first frame after t.
        if let shown = previous { try takeSnaps(until: time, on: shown.frame, index: shown.index) }
        previous = (frame, index)
        lastFrameTime = time
        if recorder.mode != .copy {
            try recorder.record(frame)
            counters.packetsRecorded += 1
        }
        let outcome = try pipeline.offer(frame, index: index, time: time)
        counters.count(outcome)
        if case .analysed(let still?, _) = outcome { keep(still) }
    }

    /// A snap's picture must be the one on screen at its time, which may be a non-reference
    /// picture: within two seconds of one (what the decoder holds back, and more), decode all.
    private var snapIsNear: Bool {
        guard let next = pendingSnaps.first else { return false }
        return next < lastFrameTime + 2
    }

    private mutating func takeSnaps(until time: Double?, on frame: Frame, index: Int) throws {
        while let wanted = pendingSnaps.first, time.map({ wanted < $0 - 1e-6 }) ?? true {
            pendingSnaps.removeFirst()
            if let still = try pipeline.still(frame, index: index, time: wanted, reason: .snap) {
                keep(still)
            } else {
                counters.duplicateStills += 1
            }
        }
    }

    private mutating func keep(_ still: StillFile) {
        var still = still
        still.draft.sessionID = sessionID
        stills.append(still)
    }

    private func report(elapsed: Duration) -> ImportProgress {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ImportProgress(file: source.input.path, frames: counters.packets, totalFrames: source.video.frameCount,
                              seconds: lastFrameTime, duration: source.video.duration,
                              framesPerSecond: seconds > 0 ? Double(counters.framesDecoded) / seconds : 0, elapsed: seconds)
    }
}
