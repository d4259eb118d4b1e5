import Media

/// Decides whether a still candidate is near-identical to one already stored: the same
/// freeze reported twice, a burst of snaps on a frozen screen, a snap and a freeze of the
/// same picture.
///
/// Each accepted still is remembered by its block means (`BlockMeans`, a few kilobytes).
/// A candidate is a duplicate when at most `maximumDifferingFraction` of the screen's
/// blocks differ from a remembered one by more than `differenceThreshold` levels. On the
/// SampleData clips two frames of one freeze differ in under 1 % of blocks (the clock and
/// frame counter, codec noise); frames of different views in 21-36 %, and two freezes of
/// one view seconds apart in 17-21 %.
public struct StillDeduplicator: Sendable {
    /// What counts as near-identical.
    public struct Configuration: Sendable, Equatable {
        /// Side of the averaged blocks, in pixels.
        public var blockSize: Int = 16
        /// A block differs when its mean moves by more than this many 8-bit levels: above
        /// H.264 noise on a frozen picture (under 3 levels in SampleData).
        public var differenceThreshold: Float = 3
        /// Share of all blocks that may differ in a duplicate: room for burned-in text
        /// (clock, frame counter, a FREEZE indicator) on a small screen.
        public var maximumDifferingFraction: Double = 0.03
        /// How many accepted stills a candidate is compared with, newest first. One covers
        /// repeats of the same moment; more also catch a return to an earlier freeze.
        public var remembered: Int = 1

        public init() {}
    }

    public let configuration: Configuration
    /// Fingerprints of the accepted stills, oldest first.
    private var accepted: [BlockMeans] = []

    public init(configuration: Configuration = Configuration()) {
        precondition(configuration.blockSize >= 1, "blockSize must be at least 1")
        precondition(configuration.remembered >= 1, "a deduplicator must remember at least one still")
        self.configuration = configuration
    }

    /// True when `image` is near-identical to a remembered still; otherwise remembers it as
    /// accepted (forgetting the oldest beyond `remembered`) and returns false. A picture of
    /// another size is never a duplicate.
    public mutating func isDuplicate(_ image: Image) -> Bool {
        isDuplicate(fingerprint: BlockMeans(image, blockSize: configuration.blockSize))
    }

    /// As `isDuplicate(_:)` for Media's `LumaGrid` of the candidate, pooled to `blockSize`
    /// when its blocks divide it. Compare grids with grids: a grid's limited-range means
    /// and dropped edge blocks do not match an image's fingerprint.
    public mutating func isDuplicate(_ grid: LumaGrid) -> Bool {
        isDuplicate(fingerprint: BlockMeans(grid, blockSize: configuration.blockSize))
    }

    private mutating func isDuplicate(fingerprint: BlockMeans) -> Bool {
        if accepted.reversed().contains(where: { isNearIdentical(fingerprint, $0) }) { return true }
        accepted.append(fingerprint)
        if accepted.count > configuration.remembered { accepted.removeFirst(accepted.count - configuration.remembered) }
        return false
    }

    /// The share of blocks (0...1) in which `a` and `b` differ, or nil when their sizes
    /// differ: a distance for callers that weigh it themselves.
    public func difference(between a: Image, and b: Image) -> Double? {
        BlockMeans(a, blockSize: configuration.blockSize)
            .fractionDiffering(from: BlockMeans(b, blockSize: configuration.blockSize),
                               by: configuration.differenceThreshold)
    }

    /// Forgets every accepted still: for a new session.
    public mutating func reset() {
        accepted.removeAll()
    }

    private func isNearIdentical(_ a: BlockMeans, _ b: BlockMeans) -> Bool {
        guard let fraction = a.fractionDiffering(from: b, by: configuration.differenceThreshold) else { return false }
        return fraction <= configuration.maximumDifferingFraction
    }
}
