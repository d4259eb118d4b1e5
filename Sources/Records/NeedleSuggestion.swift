import Foundation

/// Where the needle detector found the needle on a still: the shaft's visible start
/// (towards the probe's edge), its tip, and how sure it is. Kept beside the still; never
/// a revision of the needle by itself: a physician accepts it or draws their own.
///
/// Codable as `{"entry": {...}, "tip": {...}, "confidence": 0.91, "detector": "needle-1"}`.
public struct NeedleSuggestion: Hashable, Sendable, Codable {
    public let entry: ImagePoint
    public let tip: ImagePoint
    /// 0-1: how clearly the picture shows a straight needle shaft there.
    public let confidence: Double
    /// The detector and its version, so suggestions made by an older one can be told apart.
    public let detector: String

    public init(entry: ImagePoint, tip: ImagePoint, confidence: Double, detector: String) {
        self.entry = entry
        self.tip = tip
        self.confidence = min(1, max(0, confidence))
        self.detector = detector
    }

    /// The shaft's angle to the skin line, 0-90 degrees, as ``NeedleGeometry/angleDegrees``.
    public var angleDegrees: Double {
        atan2((tip.y - entry.y).magnitude, (tip.x - entry.x).magnitude) * 180 / .pi
    }
}
