/// A freeze of the scanner, reported once when it has lasted long enough to be sure.
public struct FreezeEvent: Sendable, Hashable, Codable {
    /// Time, in the stream's seconds, of the first frozen frame: the frame whose picture
    /// then stayed on screen. The still to keep is the frame shown at this time (or any
    /// later one until the freeze ends; they show the same picture).
    public var startTime: Double
    /// Time of the frame at which the picture had stood still for the detector's
    /// `minimumDuration`: when the freeze was reported.
    public var confirmedTime: Double

    public init(startTime: Double, confirmedTime: Double) {
        self.startTime = startTime
        self.confirmedTime = confirmedTime
    }
}
