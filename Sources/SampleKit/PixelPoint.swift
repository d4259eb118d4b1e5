import Foundation

/// A point in frame pixel coordinates: origin at the top-left corner of the frame, x to
/// the right, y down; pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is (i+0.5, j+0.5).
/// Ground truth rounds coordinates to 0.01 pixel so the JSON is stable.
public struct PixelPoint: Codable, Sendable, Equatable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point with both coordinates rounded to 0.01 pixel.
    public var rounded: PixelPoint {
        PixelPoint(x: x.roundedToHundredths, y: y.roundedToHundredths)
    }

    /// Euclidean distance in pixels.
    public func distance(to other: PixelPoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

extension Double {
    /// Rounded to two decimals, so ground truth values print the same everywhere.
    var roundedToHundredths: Double { (self * 100).rounded() / 100 }
    /// Rounded to three decimals (seconds in ground truth).
    var roundedToThousandths: Double { (self * 1000).rounded() / 1000 }
}
