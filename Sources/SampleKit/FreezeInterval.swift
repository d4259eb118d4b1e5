/// A freeze in output frames (inclusive) and seconds of output time [start, end).
public struct FreezeInterval: Codable, Sendable, Equatable {
    public var firstFrame: Int
    public var lastFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double

    public init(firstFrame: Int, lastFrame: Int, startSeconds: Double, endSeconds: Double) {
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    public var frames: ClosedRange<Int> { firstFrame...lastFrame }
}
