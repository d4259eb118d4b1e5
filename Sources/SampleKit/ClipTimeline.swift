/// Maps output frame indices to what the scanner was showing: its own (source) frame, the
/// content time, whether the image was frozen, which view and how far the needle was in.
///
/// Every frame is a pure function of its index through this mapping, which is what lets
/// frames be rendered in any order and duplicates and freezes come out bit-exact.
struct ClipTimeline: Sendable {
    let spec: ClipSpec
    /// Freezes as inclusive ranges of source frames.
    let sourceFreezes: [ClosedRange<Int>]

    init(spec: ClipSpec) {
        self.spec = spec
        let rate = spec.sourceFramesPerSecond
        sourceFreezes = spec.freezes.map { freeze in
            let first = Int((freeze.startSeconds * rate).rounded())
            let last = max(first, Int(((freeze.startSeconds + freeze.durationSeconds) * rate).rounded()) - 1)
            return first...last
        }
    }

    // MARK: - Frame-rate conversion

    /// The scanner frame an output frame shows.
    func sourceFrame(_ index: Int) -> Int {
        guard let n = spec.duplicateEvery, n > 1 else { return index }
        return (index / n) * (n - 1) + min(index % n, n - 2)
    }

    /// Whether an output frame is an inserted copy of its predecessor.
    func isDuplicate(_ index: Int) -> Bool {
        guard let n = spec.duplicateEvery, n > 1 else { return false }
        return index % n == n - 1
    }

    /// Content time of a source frame, in seconds.
    func time(ofSource source: Int) -> Double {
        Double(source) / spec.sourceFramesPerSecond
    }

    // MARK: - Freezes

    /// The freeze (index into `spec.freezes`) holding a source frame, if any.
    func freezeIndex(ofSource source: Int) -> Int? {
        sourceFreezes.firstIndex { $0.contains(source) }
    }

    /// The source frame whose image is on screen: the freeze's first frame while frozen.
    func imagingSource(ofSource source: Int) -> Int {
        if let f = freezeIndex(ofSource: source) { return sourceFreezes[f].lowerBound }
        return source
    }

    /// A freeze as inclusive output frame indices.
    func outputFrames(ofFreeze freeze: Int) -> ClosedRange<Int> {
        let range = sourceFreezes[freeze]
        var first = 0
        while first < spec.frameCount - 1, sourceFrame(first) < range.lowerBound { first += 1 }
        var last = first
        while last + 1 < spec.frameCount, sourceFrame(last + 1) <= range.upperBound { last += 1 }
        return first...last
    }

    // MARK: - Views

    /// What the probe shows at content time `t`.
    func viewState(at t: Double) -> ViewState {
        let views = spec.views
        for k in stride(from: views.count - 1, through: 1, by: -1) {
            let view = views[k]
            if t >= view.arriveSeconds { return ViewState(from: k, to: nil, progress: 0) }
            if t >= view.moveStartSeconds {
                let p = (t - view.moveStartSeconds) / max(view.moveSeconds, 1e-9)
                return ViewState(from: k - 1, to: k, progress: p)
            }
        }
        return ViewState(from: 0, to: nil, progress: 0)
    }
}

/// The probe at one instant: settled on view `from`, or moving from `from` to `to`.
struct ViewState: Sendable, Equatable {
    var from: Int
    var to: Int?
    /// 0...1 through the move.
    var progress: Double

    var isMoving: Bool { to != nil }
}
