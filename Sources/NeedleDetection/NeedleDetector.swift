import Foundation
import Media
import Records

/// Finds an in-plane needle on a still: a bright, straight, thin shaft at 10-62 degrees
/// to the skin line, entering from the probe's edge side, its tip where the shaft fades.
///
/// In four steps, each about a phenomenon of real needles rather than of one picture:
/// 1. a ridge map (thin bright lines, not edges) of the still at a working size
///    (``RidgeMap``);
/// 2. the straight lines at needle angles most line pixels lie on (``LineCandidates``);
/// 3. on each, the stretch the shaft occupies, continuous or broken by short gaps, where
///    text or speckle lined up by chance is mostly gaps (``ShaftRun``);
/// 4. the best few fitted again at full size, their ends where the contrast halves, and
///    judged: contrast against the tissue's own texture, length, straightness (bone is
///    curved), coverage (``ShaftFit``).
///
/// Pure Swift over Media's `Image`; no model, nothing downloaded. Fields in pixels of the
/// still given; confidence 0-1, found at ``minimumConfidence``.
public struct NeedleDetector: Sendable {
    /// Stored with every suggestion: a change to the method changes this.
    public static let version = "needle-1"

    /// Below this, ``suggest(_:)`` says there is no needle.
    public var minimumConfidence = 0.7

    /// Below this ratio of the grey below a line to that above it, the line is a bone
    /// surface over its shadow.
    static let boneShadow = 0.3

    /// From this ratio of change along the shaft's far part to change in the tissue beside
    /// it, the needle is seen advancing.
    static let advancing = 3.0

    public init() {}

    /// What the detector saw, found or not: the best candidate and why it scored as it did.
    public struct Finding: Sendable {
        public let suggestion: NeedleSuggestion
        public let coverage: Double
        public let contrast: Double
        public let texture: Double
        public let straightness: Double
        public let shadow: Double
        /// How much more the shaft's far part changed since the earlier frame than the
        /// tissue above it (nil without an earlier frame).
        public let motion: Double?
    }

    /// The needle on `image`, or nil when there is none it is sure enough of. `earlier`, a
    /// frame of the same recording a fraction of a second before (same size), adds the
    /// needle's motion: a shaft whose far end changed while the tissue beside it did not is
    /// a needle being advanced, and is believed more readily.
    public func suggest(_ image: Image, earlier: Image? = nil) -> NeedleSuggestion? {
        guard let finding = bestCandidate(image, earlier: earlier), finding.suggestion.confidence >= minimumConfidence else { return nil }
        return finding.suggestion
    }

    /// The best candidate whatever its confidence (for benchmarks and diagnosis); nil when
    /// the picture has no line at a needle's angle at all.
    public func bestCandidate(_ image: Image, earlier: Image? = nil) -> Finding? {
        let gray = image.grayscale()
        let before = earlier.flatMap { $0.width == image.width && $0.height == image.height ? FullImage($0.grayscale()) : nil }
        guard gray.width >= 32, gray.height >= 32 else { return nil }
        let map = RidgeMap(gray)
        let full = FullImage(gray)
        let threshold = map.threshold()
        let candidates = LineCandidates(map, threshold: threshold)
        // A short bright patch (a bone's crest) votes for lines at many angles through it:
        // one run per stretch of picture, and bone set aside, before the costly full-size fit.
        var runs: [ShaftRun] = []
        for run in candidates.lines.compactMap({ ShaftRun($0, map: map, threshold: threshold) }).sorted(by: { $0.score > $1.score })
        where run.shadow(in: map) >= Self.boneShadow && !runs.contains(where: { $0.overlaps(run) }) {
            runs.append(run)
            if runs.count == 8 { break }
        }
        let diagonal = hypot(Double(gray.width), Double(gray.height))
        var best: Finding?
        for run in runs {
            guard let fit = ShaftFit(run, map: map, image: full) else { continue }
            let motion = before.map { fit.motion(now: full, before: $0) }
            var confidence = Self.confidence(fit: fit, coverage: run.coverage, diagonal: diagonal)
            // Seen advancing: half the remaining doubt goes.
            if let motion, motion >= Self.advancing { confidence = 1 - (1 - confidence) / 2 }
            let suggestion = NeedleSuggestion(entry: ImagePoint(x: fit.entry.x, y: fit.entry.y), tip: ImagePoint(x: fit.tip.x, y: fit.tip.y),
                                              confidence: confidence, detector: Self.version)
            if best.map({ confidence > $0.suggestion.confidence }) ?? true {
                best = Finding(suggestion: suggestion, coverage: run.coverage, contrast: fit.contrast, texture: fit.texture,
                               straightness: fit.straightness, shadow: fit.shadow, motion: motion)
            }
        }
        return best
    }

    /// Each factor 0-1, multiplied: a shaft clearly brighter than the tissue's own grain,
    /// long enough not to be a fibre, mostly unbroken, and straight.
    static func confidence(fit: ShaftFit, coverage: Double, diagonal: Double) -> Double {
        let clarity = fit.contrast / max(fit.texture, 4)
        let contrastScore = 1 / (1 + exp(-3 * (clarity - 1.1)))
        let lengthScore = min(1, max(0, (fit.length / diagonal - 0.015) / 0.035))
        let coverageScore = min(1, max(0, (coverage - 0.45) / 0.25))
        // A needle bows by under 1 % of its length; a piece of a fascia arc or a bone's
        // curve by 1.5 % and more.
        let straightScore = min(1, max(0, (0.018 - fit.straightness / max(fit.length, 1)) / 0.006))
        // Bone casts a shadow; a needle's reverberations do not.
        let shadowScore = min(1, max(0, (fit.shadow - boneShadow) / 0.3))
        // Fascia and ligaments lie near horizontal; needles seldom pass under 12 degrees.
        let angleScore = min(1, max(0, (fit.angleDegrees - 8) / 6))
        // A shaft lies in tissue, not in the black around the image with its text.
        let insideScore = min(1, max(0, (0.4 - fit.outside) / 0.2))
        return contrastScore * lengthScore * coverageScore * straightScore * shadowScore * angleScore * insideScore
    }
}
