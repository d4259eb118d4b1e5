/// A freeze of the scanner: the image stops, the clock and frame counter run on.
public struct FreezeSpec: Codable, Sendable, Equatable {
    /// Content time of the first frozen frame.
    public var startSeconds: Double
    public var durationSeconds: Double

    public init(startSeconds: Double, durationSeconds: Double) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
    }
}
