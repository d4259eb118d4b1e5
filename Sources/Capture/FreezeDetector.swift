import Media

/// Detects that the scanner is frozen from its video output alone.
///
/// When a scanner freezes, the B-mode image stops changing while on-screen text (clock,
/// frame counter, a FREEZE indicator) may keep changing. The detector does not know where
/// the image is: it averages each frame over square blocks (`BlockMeans`), learns which
/// blocks move during live imaging (`ActivityMap`), and calls the screen frozen when
/// almost none of those blocks change beyond codec noise for `minimumDuration` seconds.
///
/// A screen that has not moved since the source opened (the tech pressed record on a frozen,
/// measured image) has taught the map nothing; it is judged over every block instead, and
/// reported once it has held `minimumDuration`, if it shows a picture at all (not a blank
/// screen).
///
/// Feed it every frame the analysis stage gets, in time order; skipped frames are fine,
/// since only the timestamps measure durations. It reports one `FreezeEvent` per freeze and
/// re-arms only when live imaging resumes. A value type that one task owns; about 0.25 ms
/// per 1080p gray frame in a release build.
public struct FreezeDetector: Sendable {
    /// What one frame looked like to the detector, for diagnostics and tuning.
    public struct Measurement: Sendable, Equatable {
        /// Blocks judged part of the live picture.
        public var activeBlocks: Int
        /// Share of active blocks that changed since the previous frame.
        public var changedFraction: Double
        /// Share of active blocks more than `driftThreshold` from the first frame of the
        /// current still run (or of the freeze).
        public var driftFraction: Double
        /// Share of active blocks more than `changeThreshold` from that frame.
        public var departedFraction: Double
    }

    public let configuration: Configuration

    /// True from a reported freeze until live imaging resumes.
    public private(set) var isFrozen = false
    /// The last frame's measurement; nil before the second frame of a size.
    public private(set) var lastMeasurement: Measurement?

    private var current: BlockMeans?
    private var previous: [Float] = []
    private var previousTime: Double?
    /// The first frame of the current still run (or of the reported freeze): the picture
    /// that later frames must still match.
    private var anchor: [Float] = []
    private var anchorTime = 0.0
    private var activity = ActivityMap(blocks: 0)
    private var activeMask: [Bool] = []
    /// Whether the previous frame moved (see `judge`).
    private var previousMoved = false
    /// Whether the screen has moved since the source opened; until it has, nothing has been
    /// learnt and the whole screen is judged (a freeze then is one the recording started in).
    private var hasMoved = false
    private var wholeScreen: [Bool] = []
    /// Blocks that changed at any step of the current still run (judged whole only).
    private var touched: [Bool] = []

    public init(configuration: Configuration = Configuration()) {
        precondition(configuration.blockSize >= 1, "blockSize must be at least 1")
        self.configuration = configuration
    }

    /// Forgets everything, learnt screen layout included: for a new source.
    public mutating func reset() {
        self = FreezeDetector(configuration: configuration)
    }

    /// Takes the next frame (gray or RGB) shown at `time` seconds and returns a freeze
    /// event when this frame completes `minimumDuration` of stillness.
    ///
    /// A frame of another size than the previous one starts over, as after `reset()`. A
    /// time that does not advance is ignored; one that goes backwards (a restarted stream)
    /// restarts the timing of the current still run but keeps what was learnt.
    public mutating func process(_ frame: Image, time: Double) -> FreezeEvent? {
        advance(to: time, width: frame.width, height: frame.height, blockSize: configuration.blockSize) {
            $0.update(from: frame)
        }
    }

    /// Takes the next frame as Media's `LumaGrid` (block means straight off the decoder's
    /// luma plane), as `process(_:time:)` does an image. The grid's blocks are pooled to
    /// `blockSize` when they divide it (8-pixel grids into the default 16-pixel blocks).
    public mutating func process(_ grid: LumaGrid, time: Double) -> FreezeEvent? {
        advance(to: time, width: grid.columns * grid.blockSize, height: grid.rows * grid.blockSize,
                blockSize: BlockMeans.pooledBlockSize(grid, wanted: configuration.blockSize)) {
            $0.update(from: grid)
        }
    }

    private mutating func advance(to time: Double, width: Int, height: Int, blockSize: Int,
                                  fill: (inout BlockMeans) -> Void) -> FreezeEvent? {
        if let current, current.imageWidth != width || current.imageHeight != height || current.blockSize != blockSize {
            reset()
        }
        guard var means = current else {
            var first = BlockMeans(blockSize: blockSize)
            fill(&first)
            current = first
            start(from: first.values, at: time)
            activity = ActivityMap(blocks: first.values.count)
            return nil
        }
        guard let previousTime, time != previousTime else { return nil }
        // Release the stored copy before filling, so the means are written in place.
        current = nil
        fill(&means)
        current = means
        let elapsed = time - previousTime
        if elapsed < 0 {
            anchorTime = time
        }
        let event = judge(means.values, at: time, elapsed: max(elapsed, 0))
        Self.copy(means.values, into: &previous)
        self.previousTime = time
        return event
    }

    // MARK: - Judging one frame

    private mutating func judge(_ values: [Float], at time: Double, elapsed: Double) -> FreezeEvent? {
        let c = configuration
        let active = activity.activeBlocks(into: &activeMask, minimumRate: c.activityThreshold,
                                           overlayRatio: c.overlayRatio)
        let counts = Self.count(values, previous: previous, anchor: anchor, mask: activeMask,
                                changeThreshold: c.changeThreshold, driftThreshold: c.driftThreshold)
        let scale = active > 0 ? 1 / Double(active) : 0
        let measurement = Measurement(activeBlocks: active, changedFraction: Double(counts.changed) * scale,
                                      driftFraction: Double(counts.drifted) * scale,
                                      departedFraction: Double(counts.departed) * scale)
        lastMeasurement = measurement
        // Until the picture has been located, every frame counts as live and teaches the map;
        // a screen that has not moved at all since the start is judged whole.
        let judged = active >= c.minimumActiveBlocks
        if !hasMoved {
            return judgeWholeScreen(values, at: time, elapsed: elapsed)
        }
        let moved = !judged || measurement.changedFraction > c.maximumChangedFraction

        defer { previousMoved = moved }
        if isFrozen {
            holdOrResume(values, at: time, elapsed: elapsed, moved: moved, departed: measurement.departedFraction)
            return nil
        }
        if moved || measurement.driftFraction > c.maximumDriftFraction {
            learnLive(values, elapsed: elapsed)
            start(from: values, at: time)
            return nil
        }
        // A millisecond of slack: timestamps are rationals turned into doubles, and a
        // 15-frame run at 30 fps must reach 0.5 s.
        guard time - anchorTime >= c.minimumDuration - 0.001 else { return nil }
        isFrozen = true
        return FreezeEvent(startTime: anchorTime, confirmedTime: time)
    }

    /// `judge` for a screen not yet seen to move: the same rules over every block with
    /// content (`contentLevel`), and a freeze only when the held picture is not blank
    /// (`minimumPictureSpread`).
    private mutating func judgeWholeScreen(_ values: [Float], at time: Double, elapsed: Double) -> FreezeEvent? {
        let c = configuration
        // Blocks with something on them, now or in the held picture: a scanner's dark
        // background would otherwise dilute a small live image into looking still.
        if wholeScreen.count != values.count { wholeScreen = [Bool](repeating: false, count: values.count) }
        var content = 0
        for i in 0..<min(values.count, anchor.count) {
            wholeScreen[i] = max(values[i], anchor[i]) >= c.contentLevel
            if wholeScreen[i] { content += 1 }
        }
        guard content >= c.minimumActiveBlocks else { return nil }
        let counts = Self.count(values, previous: previous, anchor: anchor, mask: wholeScreen,
                                changeThreshold: c.changeThreshold, driftThreshold: c.driftThreshold)
        let scale = 1 / Double(content)
        let moved = Double(counts.changed) * scale > c.maximumChangedFraction
        // A small live image on a big static screen changes few blocks a step, but over
        // half a second it touches most of itself; a held picture only its ticking text.
        if touched.count != values.count { touched = [Bool](repeating: false, count: values.count) }
        var touchedCount = 0
        for i in 0..<min(values.count, previous.count) where wholeScreen[i] {
            if abs(values[i] - previous[i]) > c.changeThreshold { touched[i] = true }
            if touched[i] { touchedCount += 1 }
        }
        defer { previousMoved = moved }
        if isFrozen {
            holdOrResume(values, at: time, elapsed: elapsed, moved: moved, departed: Double(counts.departed) * scale)
            return nil
        }
        // Without the map, big static parts of the screen (menus, a grey frame) water the
        // shares down; a held picture stays within codec noise of its first frame, live
        // imaging held steady does not, so the drift allowed here is much smaller.
        if moved || Double(counts.drifted) * scale > c.startDriftFraction
            || Double(touchedCount) * scale > c.maximumChangedFraction {
            hasMoved = true
            learnLive(values, elapsed: elapsed)
            start(from: values, at: time)
            return nil
        }
        guard time - anchorTime >= c.minimumDuration - 0.001, Self.spread(anchor) >= c.minimumPictureSpread else { return nil }
        isFrozen = true
        return FreezeEvent(startTime: anchorTime, confirmedTime: time)
    }

    /// A frame during a reported freeze. Live imaging moves frame after frame; a keyframe
    /// re-encoding the frozen picture jumps once. So a freeze ends on the second moving frame
    /// in a row, and only once the picture has left the frozen one (`departed`, the share of
    /// judged blocks beyond `changeThreshold` from it); until then the frame teaches which
    /// blocks are burned-in text.
    private mutating func holdOrResume(_ values: [Float], at time: Double, elapsed: Double, moved: Bool, departed: Double) {
        let c = configuration
        if moved && previousMoved && departed > c.resumeFraction {
            isFrozen = false
            hasMoved = true
            learnLive(values, elapsed: elapsed)
            start(from: values, at: time)
        } else {
            activity.recordFrozen(previous: previous, current: values, threshold: c.changeThreshold,
                                  elapsed: elapsed, timeConstant: c.learningTime)
        }
    }

    /// The standard deviation of the block means, in levels: near 0 for a blank screen.
    private static func spread(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum = 0.0, squares = 0.0
        for value in values {
            sum += Double(value)
            squares += Double(value) * Double(value)
        }
        let mean = sum / Double(values.count)
        return (max(0, squares / Double(values.count) - mean * mean)).squareRoot()
    }

    private mutating func learnLive(_ values: [Float], elapsed: Double) {
        activity.recordLive(previous: previous, current: values, threshold: configuration.changeThreshold,
                            elapsed: elapsed, timeConstant: configuration.learningTime)
    }

    /// Makes this frame the first of a new still run.
    private mutating func start(from values: [Float], at time: Double) {
        for i in touched.indices { touched[i] = false }
        Self.copy(values, into: &anchor)
        anchorTime = time
        Self.copy(values, into: &previous)
        previousTime = time
    }

    /// Active blocks that changed since the previous frame, drifted from the anchor by more
    /// than `driftThreshold`, and departed from it by more than `changeThreshold`.
    private static func count(_ values: [Float], previous: [Float], anchor: [Float], mask: [Bool],
                              changeThreshold: Float, driftThreshold: Float)
        -> (changed: Int, drifted: Int, departed: Int) {
        var changed = 0, drifted = 0, departed = 0
        values.withUnsafeBufferPointer { v in
            previous.withUnsafeBufferPointer { p in
                anchor.withUnsafeBufferPointer { a in
                    mask.withUnsafeBufferPointer { m in
                        for i in 0..<min(v.count, p.count, a.count, m.count) where m[i] {
                            if abs(v[i] - p[i]) > changeThreshold { changed += 1 }
                            let fromAnchor = abs(v[i] - a[i])
                            if fromAnchor > changeThreshold { departed += 1 }
                            if fromAnchor > driftThreshold { drifted += 1 }
                        }
                    }
                }
            }
        }
        return (changed, drifted, departed)
    }

    /// Copies element by element into existing storage, so the per-frame path does not
    /// allocate once the buffers have their size.
    private static func copy(_ source: [Float], into target: inout [Float]) {
        if target.count != source.count {
            target = source
            return
        }
        target.withUnsafeMutableBufferPointer { t in
            source.withUnsafeBufferPointer { s in
                for i in 0..<s.count { t[i] = s[i] }
            }
        }
    }
}
