/// One entry of the tech's tag script: from `seconds` on, the screen shows this target.
public struct TagSpec: Codable, Sendable, Equatable {
    /// Content time at which the tag comes into force; a multiple of 0.1 s so the tag file's
    /// `mm:ss.s` stamps round-trip exactly.
    public var seconds: Double
    /// Segment in canonical form, e.g. `L5-S1`.
    public var level: String
    public var structure: TargetStructure
    public var side: Laterality

    public init(seconds: Double, level: String, structure: TargetStructure, side: Laterality) {
        self.seconds = seconds
        self.level = level
        self.structure = structure
        self.side = side
    }
}
