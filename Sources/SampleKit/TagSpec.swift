import Anatomy

/// One entry of the tech's tag script: from `seconds` on, the screen shows this target.
public struct TagSpec: Codable, Sendable, Equatable {
    /// Content time at which the tag comes into force; a multiple of 0.1 s so the tag file's
    /// `mm:ss.s` stamps round-trip exactly.
    public var seconds: Double
    /// The segment tagged, e.g. `L5-S1`.
    public var level: VertebralSpan
    /// The id of a catalogue structure, e.g. `facet-capsule`.
    public var structure: TargetStructure.ID
    public var side: Laterality

    /// A tag of a catalogue structure, kept by its id.
    public init(seconds: Double, level: VertebralSpan, structure: TargetStructure, side: Laterality) {
        self.seconds = seconds
        self.level = level
        self.structure = structure.id
        self.side = side
    }
}
