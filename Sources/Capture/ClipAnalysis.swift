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

    private let converter = PixelConverter()
    private var detector = FreezeDetector()
    private var maker = StillMaker()
    private var pendingSnaps: [Double]
    private var lastAnalysed = -Double.infinity
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
        progress(report(elapsed: clock.now - started))
        return stills
    }

    private mutating func handle(_ frame: Frame, previous: inout (frame: Frame, index: Int)?) throws {
        let index = counters.framesDecoded
        counters.framesDecoded += 1
        let time = frame.time ?? lastFrameTime
        // A snap at t is the frame on screen at t: the one before the first frame after t.
        if let shown = previous { try takeSnaps(until: time, on: shown.frame, index: shown.index) }
        previous = (frame, index)
        lastFrameTime = time
        if recorder.mode != .copy {
            try recorder.record(frame)
            counters.packetsRecorded += 1
        }
        // Three quarters of the interval, so 60 fps thins to exactly every other frame.
        guard time - lastAnalysed >= 0.75 / options.analysisRate else {
            counters.framesThinned += 1
            return
        }
        lastAnalysed = time
        counters.framesAnalysed += 1
        let grid = try frame.lumaGrid(converter: converter)
        if detector.process(grid, time: time) != nil {
            try takeStill(frame, index: index, time: time, reason: .freeze)
        }
    }

    private mutating func takeSnaps(until time: Double?, on frame: Frame, index: Int) throws {
        while let wanted = pendingSnaps.first, time.map({ wanted < $0 - 1e-6 }) ?? true {
            pendingSnaps.removeFirst()
            try takeStill(frame, index: index, time: wanted, reason: .snap)
        }
    }

    private mutating func takeStill(_ frame: Frame, index: Int, time: Double, reason: Still.Reason) throws {
        if let still = try maker.make(frame, index: index, time: time, reason: reason, sessionID: sessionID) {
            stills.append(still)
        } else {
            counters.duplicateStills += 1
        }
    }

    private func report(elapsed: Duration) -> ImportProgress {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ImportProgress(file: source.input.path, frames: counters.framesDecoded, totalFrames: source.video.frameCount,
                              seconds: lastFrameTime, duration: source.video.duration,
                              framesPerSecond: seconds > 0 ? Double(counters.framesDecoded) / seconds : 0, elapsed: seconds)
    }
}
