import Archive
import Foundation
import Media
import Records

/// The analysis import and live capture both run on decoded pictures: thinning to the
/// analysis rate, freeze detection on a luma grid, and stills (at a freeze, at a snap)
/// that are dropped when they repeat the one before. One per analysis thread; what became
/// of each picture is returned as an ``Outcome`` for the caller to count, so a live
/// capture counts under its lock without holding it while a PNG is encoded.
struct AnalysisPipeline {
    /// Pictures a second analysis looks at, at most.
    let analysisRate: Double
    private let converter = PixelConverter()
    private var detector = FreezeDetector()
    private var maker = StillMaker()
    private var lastAnalysed = -Double.infinity

    init(analysisRate: Double) {
        self.analysisRate = analysisRate
    }

    /// What became of a picture.
    enum Outcome {
        /// Sooner after the last analysed picture than the rate allows: passed over by design.
        case thinned
        /// Let pass because analysis is behind (a live source under load).
        case skipped
        /// Analysed; a still when a freeze began here, `duplicate` when that still repeated the last.
        case analysed(still: StillFile?, duplicate: Bool)
    }

    /// Whether a picture at `time` would be analysed rather than thinned: import asks
    /// before decoding, to let the decoder drop pictures nobody looks at.
    func wantsPicture(at time: Double) -> Bool {
        // Three quarters of the interval, so 60 fps thins to exactly every other frame.
        time - lastAnalysed >= 0.75 / analysisRate
    }

    /// Offers a decoded picture (`index` its number in decoding order) for analysis.
    ///
    /// - Parameter behind: the caller is too far behind to analyse it (live capture only).
    /// - Throws: `MediaError` when the picture cannot be read (its pixel format cannot be
    ///   converted) or a still cannot be encoded.
    mutating func offer(_ frame: Frame, index: Int, time: Double, behind: Bool = false) throws -> Outcome {
        guard wantsPicture(at: time) else { return .thinned }
        guard !behind else { return .skipped }
        lastAnalysed = time
        let grid = try frame.lumaGrid(converter: converter)
        guard detector.process(grid, time: time) != nil else { return .analysed(still: nil, duplicate: false) }
        let still = try maker.make(frame, index: index, time: time, reason: .freeze, sessionID: UUID())
        return .analysed(still: still, duplicate: still == nil)
    }

    /// A still of `frame` for a snap (or any reason), or nil when it repeats the last still.
    /// Its session id is filled in when it is stored.
    mutating func still(_ frame: Frame, index: Int, time: Double, reason: Still.Reason) throws -> StillFile? {
        try maker.make(frame, index: index, time: time, reason: reason, sessionID: UUID())
    }
}

extension CaptureCounters {
    /// Counts what the pipeline did with a picture.
    mutating func count(_ outcome: AnalysisPipeline.Outcome) {
        switch outcome {
        case .thinned: framesThinned += 1
        case .skipped: framesSkipped += 1
        case .analysed(_, let duplicate):
            framesAnalysed += 1
            if duplicate { duplicateStills += 1 }
        }
    }
}
