/// The needle as one frame shows it, in frame pixels (rounded to 0.01).
public struct NeedleFrame: Codable, Sendable, Equatable {
    /// Where the shaft crosses into the image, on the image boundary.
    public var entry: PixelPoint
    public var tip: PixelPoint
    /// Angle of the shaft to the skin line (the image x-axis), degrees.
    public var angleDegrees: Double

    public init(entry: PixelPoint, tip: PixelPoint, angleDegrees: Double) {
        self.entry = entry
        self.tip = tip
        self.angleDegrees = angleDegrees
    }
}
