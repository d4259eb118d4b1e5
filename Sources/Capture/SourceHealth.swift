/// How a live source is doing: what the tech page's banner, `status` and the metrics show.
public struct SourceHealth: Sendable, Equatable, Codable {
    /// False while the source is gone (being opened again) or silent for over a second.
    public var signal: Bool
    /// How long the signal has been missing, in seconds; 0 with signal.
    public var noSignalSeconds: Double
    /// Parts recorded: 1, plus one each time the source came back.
    public var parts: Int
    /// Frames a second the source delivers, measured over the last two seconds.
    public var framesPerSecond: Double
    /// Source clock minus the wall clock at the newest packet, in seconds (0 for a source
    /// stamped on arrival); growing means the source's clock runs fast.
    public var drift: Double
    /// Times the source's timestamps jumped and were rebased onto the wall clock.
    public var clockRebases: Int
    /// Session time of the newest decoded frame.
    public var lastFrameTime: Double

    public init(signal: Bool = true, noSignalSeconds: Double = 0, parts: Int = 1, framesPerSecond: Double = 0, drift: Double = 0,
                clockRebases: Int = 0, lastFrameTime: Double = 0) {
        self.signal = signal
        self.noSignalSeconds = noSignalSeconds
        self.parts = parts
        self.framesPerSecond = framesPerSecond
        self.drift = drift
        self.clockRebases = clockRebases
        self.lastFrameTime = lastFrameTime
    }
}
