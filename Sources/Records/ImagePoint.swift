import Foundation

/// A point on a still, in image pixels: x to the right, y down from the top
/// edge, where the probe and the skin are.
///
/// Codable as `{"x": 40, "y": 30}`.
public struct ImagePoint: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The straight-line distance to `other`, in pixels.
    public func distance(to other: ImagePoint) -> Double {
        hypot(other.x - x, other.y - y)
    }

    /// Whether both coordinates are finite numbers.
    var isFinite: Bool { x.isFinite && y.isFinite }
}
