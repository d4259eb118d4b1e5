import Foundation

/// Where on the screen the live picture is, learnt by watching which blocks change.
///
/// Scanners differ in where they put the B-mode image, and a curvilinear fan leaves black
/// corners that never change, so the freeze detector judges only the blocks this map calls
/// active. Two rates per block, each an exponential moving average over time:
///
/// - how often the block changes while the scanner is live: the image, but also the frame
///   counter, which ticks on every frame;
/// - how often it changes while the scanner is known to be frozen: text such as the clock
///   and frame counter keeps changing then, the frozen image does not.
///
/// A block is active when it changes often enough while live and not (nearly) as often
/// while frozen. So the first freeze is judged with the burned-in text still counted (it
/// is a small share of the screen); from then on the text is left out.
struct ActivityMap: Sendable {
    /// Per block: the share of live frame steps in which it changed (before bias correction).
    private var liveRate: [Float]
    /// Per block: the same over steps inside a confirmed freeze.
    private var frozenRate: [Float]
    /// The weight the averages have gathered, 0...1: dividing by it removes the bias toward
    /// zero of a young average, so the map is usable after the first few live frames
    /// instead of after several time constants.
    private var liveWeight: Float = 0
    private var frozenWeight: Float = 0

    init(blocks: Int) {
        liveRate = [Float](repeating: 0, count: blocks)
        frozenRate = [Float](repeating: 0, count: blocks)
    }

    var blockCount: Int { liveRate.count }

    /// Learns from one step of live imaging: `previous` to `current`, `elapsed` seconds apart.
    mutating func recordLive(previous: [Float], current: [Float], threshold: Float,
                             elapsed: Double, timeConstant: Double) {
        Self.record(previous: previous, current: current, threshold: threshold,
                    weight: Self.stepWeight(elapsed: elapsed, timeConstant: timeConstant),
                    rates: &liveRate, total: &liveWeight)
    }

    /// Learns from one step inside a confirmed freeze.
    mutating func recordFrozen(previous: [Float], current: [Float], threshold: Float,
                               elapsed: Double, timeConstant: Double) {
        Self.record(previous: previous, current: current, threshold: threshold,
                    weight: Self.stepWeight(elapsed: elapsed, timeConstant: timeConstant),
                    rates: &frozenRate, total: &frozenWeight)
    }

    /// Fills `mask` with the active blocks and returns how many there are.
    /// - Parameters:
    ///   - minimumRate: share of live steps in which a block must change to count as image.
    ///   - overlayRatio: a block that changes while frozen at least this share as often as
    ///     while live is burned-in text, not image.
    func activeBlocks(into mask: inout [Bool], minimumRate: Float, overlayRatio: Float) -> Int {
        if mask.count != liveRate.count { mask = [Bool](repeating: false, count: liveRate.count) }
        guard liveWeight > 0 else {
            for i in mask.indices { mask[i] = false }
            return 0
        }
        let liveScale = 1 / liveWeight
        let frozenScale: Float = frozenWeight > 0 ? 1 / frozenWeight : 0
        var count = 0
        liveRate.withUnsafeBufferPointer { live in
            frozenRate.withUnsafeBufferPointer { frozen in
                mask.withUnsafeMutableBufferPointer { out in
                    for i in 0..<live.count {
                        let liveShare = live[i] * liveScale
                        let active = liveShare >= minimumRate && frozen[i] * frozenScale < overlayRatio * liveShare
                        out[i] = active
                        if active { count += 1 }
                    }
                }
            }
        }
        return count
    }

    // MARK: - Averaging

    /// How much one step counts. A step longer than 0.2 s (frames skipped under load, a
    /// stall) counts as 0.2 s, so that one pair of frames after a gap cannot overwrite
    /// what many frames taught.
    private static func stepWeight(elapsed: Double, timeConstant: Double) -> Float {
        let step = min(max(elapsed, 0), 0.2)
        return Float(1 - exp(-step / max(timeConstant, 1e-3)))
    }

    private static func record(previous: [Float], current: [Float], threshold: Float, weight: Float,
                               rates: inout [Float], total: inout Float) {
        guard weight > 0, previous.count == rates.count, current.count == rates.count else { return }
        let keep = 1 - weight
        previous.withUnsafeBufferPointer { p in
            current.withUnsafeBufferPointer { c in
                rates.withUnsafeMutableBufferPointer { r in
                    for i in 0..<r.count {
                        let changed: Float = abs(c[i] - p[i]) > threshold ? weight : 0
                        r[i] = r[i] * keep + changed
                    }
                }
            }
        }
        total = total * keep + weight
    }
}
