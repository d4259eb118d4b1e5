/// An in-plane needle pass: it enters at one lateral edge of the image and advances along a
/// straight line towards a target, in a few pushes, then is held there.
public struct NeedleSpec: Codable, Sendable, Equatable {
    /// The image edge the needle comes in from.
    public var entrySide: ImageSide
    /// Angle of the shaft to the skin line (the image x-axis), 20-45 degrees.
    public var angleDegrees: Double
    /// Target position relative to the probe centre of the view shown when the needle
    /// starts: lateral offset (positive = image right) and depth below the skin, in mm.
    public var targetLateralMillimetres: Double
    public var targetDepthMillimetres: Double
    /// Content time at which the tip first appears at the image edge.
    public var startSeconds: Double
    /// Content time at which the tip reaches the target; it is held there afterwards.
    public var reachSeconds: Double
    /// Number of separate pushes (advance, pause) between start and reach.
    public var pushes: Int
    /// How the shaft shows; nil is ``NeedleLook/clear``.
    public var look: NeedleLook?

    public init(
        entrySide: ImageSide, angleDegrees: Double, targetLateralMillimetres: Double, targetDepthMillimetres: Double,
        startSeconds: Double, reachSeconds: Double, pushes: Int = 3, look: NeedleLook? = nil
    ) {
        self.look = look
        self.entrySide = entrySide
        self.angleDegrees = angleDegrees
        self.targetLateralMillimetres = targetLateralMillimetres
        self.targetDepthMillimetres = targetDepthMillimetres
        self.startSeconds = startSeconds
        self.reachSeconds = reachSeconds
        self.pushes = pushes
    }

    /// Fraction of the path from entry to target covered at content time `t`: 0 before the
    /// start, 1 from `reachSeconds` on, never decreasing in between.
    public func progress(at t: Double) -> Double {
        guard t > startSeconds else { return 0 }
        guard t < reachSeconds else { return 1 }
        let n = Double(max(1, pushes))
        let f = (t - startSeconds) / (reachSeconds - startSeconds) * n
        let push = f.rounded(.down)
        // Each push moves for the first 70 % of its slot and pauses for the rest, as a
        // physician advances, checks the image, advances again.
        let local = min(1, (f - push) / 0.7)
        let eased = local * local * (3 - 2 * local)
        return min(1, (push + eased) / n)
    }
}

/// How a needle shows on the screen, for the harder cases of needle detection.
public enum NeedleLook: String, Codable, Sendable, CaseIterable {
    /// Bright and whole, as the sample clips draw it.
    case clear
    /// Under half as bright: a steep pass, a thin needle, a deep one.
    case faint
    /// Broken into pieces and fading with depth, as a shaft slightly off the beam plane shows.
    case broken
    /// Out of plane: the beam crosses the shaft, which shows only as a bright dot at the
    /// crossing (drawn at the tip). No in-plane shaft to find.
    case outOfPlane
}
