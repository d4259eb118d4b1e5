import Anatomy

/// A command spoken at the table.
public enum VoiceCommand: Hashable, Sendable {
    /// Tag what is on screen; what was not said is kept from the tag in effect.
    case tag(VoiceTag)
    /// One level down the spine (`L4-L5` to `L5-S1`), keeping side and structure.
    case nextLevel
    /// One level up the spine (`L4-L5` to `L3-L4`).
    case previousLevel
    /// Take a still.
    case snap
    /// Put back the tag that was in effect before the last voice tag.
    case undo

    /// The name in the JSON `needlelog voice recognize` prints.
    public var name: String {
        switch self {
        case .tag: "tag"
        case .nextLevel: "next-level"
        case .previousLevel: "previous-level"
        case .snap: "snap"
        case .undo: "undo"
        }
    }
}

/// The parts of a tag a phrase said; nil for what it did not.
public struct VoiceTag: Hashable, Sendable {
    public var location: AnatomicSite.Location?
    public var side: Laterality?
    public var structure: TargetStructure.ID?

    public init(location: AnatomicSite.Location? = nil, side: Laterality? = nil, structure: TargetStructure.ID? = nil) {
        self.location = location
        self.side = side
        self.structure = structure
    }

    /// The tag this makes over `current` (the tag in effect): a new place keeps the side and
    /// structure unless said; a structure or side alone changes only itself. Nil when no
    /// place is known at all (a structure said before any level).
    public func applied(to current: (site: AnatomicSite, structure: TargetStructure.ID?)?) -> (site: AnatomicSite, structure: TargetStructure.ID?)? {
        guard let location = location ?? current?.site.location else { return nil }
        let side = side ?? current?.site.laterality
        let structure = structure ?? current?.structure
        return (AnatomicSite(location, laterality: side), structure)
    }
}
