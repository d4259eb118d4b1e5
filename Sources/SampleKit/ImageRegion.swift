/// Where the B-mode image sits on the screen: its bounding rectangle and, for a
/// curvilinear probe, the fan inside it. Everything outside is scanner furniture.
public struct ImageRegion: Codable, Sendable, Equatable {
    /// Bounding rectangle of every image pixel. Nothing but B-mode image (and the black
    /// corners beside a fan) is drawn inside it.
    public var bounds: PixelRect
    /// The sector for a curvilinear probe; nil for a linear one (the image fills `bounds`).
    public var fan: FanGeometry?

    public init(bounds: PixelRect, fan: FanGeometry?) {
        self.bounds = bounds
        self.fan = fan
    }

    /// Whether pixel (x, y) shows image (tested at the pixel's centre).
    public func contains(x: Int, y: Int) -> Bool {
        guard bounds.contains(x: x, y: y) else { return false }
        guard let fan else { return true }
        return fan.contains(PixelPoint(x: Double(x) + 0.5, y: Double(y) + 0.5))
    }

    /// Whether a continuous point lies in the image.
    public func contains(_ point: PixelPoint) -> Bool {
        if let fan { return fan.contains(point) }
        return point.x >= Double(bounds.x) && point.y >= Double(bounds.y)
            && point.x <= Double(bounds.x + bounds.width) && point.y <= Double(bounds.y + bounds.height)
    }
}
