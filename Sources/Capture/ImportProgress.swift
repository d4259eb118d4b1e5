/// How far an import has got, reported a few times a second.
public struct ImportProgress: Sendable, Equatable, Codable {
    public var file: String
    public var frames: Int
    /// Frames expected, when the container says (MP4 does, Matroska may not).
    public var totalFrames: Int?
    /// Seconds of video done and in all, as a fallback for the fraction.
    public var seconds: Double
    public var duration: Double?
    /// Frames per second processed.
    public var framesPerSecond: Double
    public var elapsed: Double

    public init(file: String, frames: Int, totalFrames: Int?, seconds: Double, duration: Double?, framesPerSecond: Double, elapsed: Double) {
        self.file = file
        self.frames = frames
        self.totalFrames = totalFrames
        self.seconds = seconds
        self.duration = duration
        self.framesPerSecond = framesPerSecond
        self.elapsed = elapsed
    }

    /// 0...1, when the length is known.
    public var fraction: Double? {
        if let totalFrames, totalFrames > 0 { return min(1, Double(frames) / Double(totalFrames)) }
        if let duration, duration > 0 { return min(1, seconds / duration) }
        return nil
    }

    /// Seconds left at the current pace, when the length is known.
    public var secondsLeft: Double? {
        guard let fraction, fraction > 0 else { return nil }
        return elapsed * (1 - fraction) / fraction
    }
}
