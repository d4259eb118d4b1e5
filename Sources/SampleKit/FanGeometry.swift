import Foundation

/// The annular sector a curvilinear probe images, in frame pixels (see `PixelPoint` for the
/// coordinate convention). The apex lies above the top of the image.
public struct FanGeometry: Codable, Sendable, Equatable {
    public var apex: PixelPoint
    /// Radius of the skin line (the array's surface), in pixels.
    public var innerRadius: Double
    /// Radius of the deepest line, in pixels.
    public var outerRadius: Double
    /// Half the opening angle, in degrees.
    public var halfAngleDegrees: Double

    public init(apex: PixelPoint, innerRadius: Double, outerRadius: Double, halfAngleDegrees: Double) {
        self.apex = apex
        self.innerRadius = innerRadius
        self.outerRadius = outerRadius
        self.halfAngleDegrees = halfAngleDegrees
    }

    /// Whether a point lies inside the sector.
    public func contains(_ point: PixelPoint) -> Bool {
        let dx = point.x - apex.x, dy = point.y - apex.y
        guard dy > 0 else { return false }
        let r2 = dx * dx + dy * dy
        guard r2 >= innerRadius * innerRadius, r2 <= outerRadius * outerRadius else { return false }
        return abs(dx) <= dy * tan(halfAngleDegrees * .pi / 180)
    }
}
