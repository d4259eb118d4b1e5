import Capture
import Foundation
import Media

/// What one pass over a decoded clip found. Decoding and analysing a clip costs seconds in
/// a debug build, so every clip is decoded once per test run and the tests share this.
struct SampleClipAnalysis: Sendable {
    var clip: SampleClip
    /// Presentation time of every frame, by index.
    var times: [Double]
    /// Events of a detector fed every frame.
    var everyFrame: [FreezeEvent]
    /// Events of a detector fed every other frame, as when analysis skips under load.
    var everyOtherFrame: [FreezeEvent]
    /// Events of a detector fed an irregular subset (bursts of one to three frames skipped).
    var irregularFrames: [FreezeEvent]
    /// Events of a detector fed every frame as Media's `LumaGrid` instead of a gray image.
    var lumaGrids: [FreezeEvent]
    /// Gray pictures of the frames the deduplication tests compare, by index.
    var pictures: [Int: Image]

    /// The index of the frame shown at `time`.
    func frame(at time: Double) -> Int {
        times.lastIndex { $0 <= time + 1e-6 } ?? 0
    }

    /// Two frames inside each freeze, a few frames from either end.
    var frozenPairs: [(Int, Int)] {
        clip.freezes.map { ($0.firstFrame + 2, $0.lastFrame - 2) }
    }

    /// The middle frame of each view where the probe stays put.
    var viewFrames: [Int] {
        clip.views.filter { !$0.moving }.map { ($0.firstFrame + $0.lastFrame) / 2 }
    }
}

/// Decodes each SampleData clip once, on first use, and keeps what the tests need.
actor SampleClipCache {
    static let shared = SampleClipCache()

    private var analyses: [String: Task<SampleClipAnalysis, any Error>] = [:]

    func analysis(of clip: SampleClip) async throws -> SampleClipAnalysis {
        if let running = analyses[clip.fileName] { return try await running.value }
        // The decoding is synchronous and heavy: run it off the actor so other clips start.
        let task = Task.detached(priority: .medium) { try Self.analyse(clip) }
        analyses[clip.fileName] = task
        return try await task.value
    }

    private static func analyse(_ clip: SampleClip) throws -> SampleClipAnalysis {
        var all = FreezeDetector()
        var halves = FreezeDetector()
        var irregular = FreezeDetector()
        var grids = FreezeDetector()
        var skips = SkipPattern(seed: UInt64(clip.frameCount))
        var result = SampleClipAnalysis(clip: clip, times: [], everyFrame: [], everyOtherFrame: [], irregularFrames: [],
                                  lumaGrids: [], pictures: [:])
        let kept = Set(result.frozenPairs.flatMap { [$0.0, $0.1] } + result.viewFrames)
        try clip.forEachFrame { frame, gray, index, time in
            result.times.append(time)
            if let event = all.process(gray, time: time) { result.everyFrame.append(event) }
            if index % 2 == 0, let event = halves.process(gray, time: time) { result.everyOtherFrame.append(event) }
            if skips.takes(), let event = irregular.process(gray, time: time) { result.irregularFrames.append(event) }
            if let event = grids.process(try frame.lumaGrid(), time: time) { result.lumaGrids.append(event) }
            if kept.contains(index) { result.pictures[index] = gray }
            return true
        }
        return result
    }
}

/// Which frames an overloaded analysis stage gets: after each taken frame, it skips none
/// (half the time) or a burst of one to three. Seeded, so a failure reproduces.
struct SkipPattern {
    private var state: UInt64
    private var skipping = 0

    init(seed: UInt64) { state = seed }

    mutating func takes() -> Bool {
        if skipping > 0 {
            skipping -= 1
            return false
        }
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        skipping = z % 2 == 0 ? 0 : Int((z >> 1) % 3) + 1
        return true
    }
}
