import Foundation

/// The needle as drawn on a still: where it enters (on the skin line at the top
/// of the image), where its tip is, and optionally the target, with the image
/// scale when the scanner reported one.
///
/// Angle and lengths are derived, never stored, so they cannot disagree with
/// the points. Codable as `{"entry": {...}, "tip": {...}, "target": {...}, "millimetresPerPixel": 0.1}`.
public struct NeedleGeometry: Hashable, Sendable {
    public let entry: ImagePoint
    public let tip: ImagePoint
    public let target: ImagePoint?
    /// The image scale, when known; more than 0 and at most 10 mm per pixel.
    public let millimetresPerPixel: Double?

    /// - Throws: ``RecordError`` when a coordinate is not finite, the tip is on the
    ///   entry point, or the scale is outside its range.
    public init(entry: ImagePoint, tip: ImagePoint, target: ImagePoint? = nil, millimetresPerPixel: Double? = nil) throws(RecordError) {
        for point in [entry, tip] + [target].compactMap(\.self) {
            for coordinate in [point.x, point.y] where !coordinate.isFinite {
                throw .outOfRange(.coordinate, value: NumberText.decimal(coordinate))
            }
        }
        guard entry != tip else { throw .needleWithoutLength }
        if let millimetresPerPixel { try NumberText.requirePositive(millimetresPerPixel, atMost: 10, field: .millimetresPerPixel) }
        self.entry = entry
        self.tip = tip
        self.target = target
        self.millimetresPerPixel = millimetresPerPixel
    }

    /// The needle's angle to the skin line (the image's horizontal), 0-90 degrees:
    /// 0 runs along the skin, 90 straight down. Direction left or right does not
    /// matter, since the probe can be held either way round.
    public var angleDegrees: Double {
        atan2((tip.y - entry.y).magnitude, (tip.x - entry.x).magnitude) * 180 / .pi
    }

    /// The drawn length from entry to tip, in pixels.
    public var lengthPixels: Double { entry.distance(to: tip) }

    /// The drawn length from entry to tip, when the scale is known.
    public var lengthMillimetres: Double? { millimetresPerPixel.map { lengthPixels * $0 } }

    /// How far the tip lies below the entry point, straight down, when the scale is
    /// known; negative if the tip was drawn above the entry.
    public var tipDepthMillimetres: Double? { millimetresPerPixel.map { (tip.y - entry.y) * $0 } }

    /// How far the tip is from the target, when both the target and the scale are known.
    /// From the tip to the target, in pixels, when a target is marked.
    public var tipToTargetPixels: Double? { target.map { tip.distance(to: $0) } }

    public var tipToTargetMillimetres: Double? {
        guard let target, let millimetresPerPixel else { return nil }
        return tip.distance(to: target) * millimetresPerPixel
    }
}

extension NeedleGeometry: Codable {
    enum CodingKeys: String, CodingKey {
        case entry, tip, target, millimetresPerPixel
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let entry = try container.decode(ImagePoint.self, forKey: .entry)
        let tip = try container.decode(ImagePoint.self, forKey: .tip)
        let target = try container.decodeIfPresent(ImagePoint.self, forKey: .target)
        let scale = try container.decodeIfPresent(Double.self, forKey: .millimetresPerPixel)
        self = try validated(decoder) { () throws(RecordError) in
            try NeedleGeometry(entry: entry, tip: tip, target: target, millimetresPerPixel: scale)
        }
    }
}
