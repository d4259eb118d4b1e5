import Foundation

/// A structure the physician injects: a ligament, joint capsule, joint, fascia
/// or nerve, from the clinic's catalogue (``catalogue``).
///
/// Structures are identified by ``id``; two values with the same id are equal.
/// Codable as the id alone, so stored records stay small and pick up catalogue
/// corrections (names, synonyms, codes) without migration.
public struct TargetStructure: Identifiable, Sendable {
    /// A structure's stable, kebab-case identifier (`facet-capsule`).
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// The stable identifier stored in records.
    public let id: ID
    /// The name shown to people (`Facet joint capsule`).
    public let displayName: String
    /// Other names clinicians use, which lookup accepts (`facet joint`, `z-joint`).
    public let synonyms: [String]
    /// The spinal regions where the structure is found; chest-wall structures are
    /// filed under thoracic, the region at their level.
    public let regions: Set<SpinalRegion>
    /// The SNOMED CT concept, where one has been confirmed or noted.
    public let snomedCode: SNOMEDCode?

    init(
        id: String, displayName: String, synonyms: [String], regions: Set<SpinalRegion>,
        snomedCode: SNOMEDCode? = nil
    ) {
        self.id = ID(rawValue: id)
        self.displayName = displayName
        self.synonyms = synonyms
        self.regions = regions
        self.snomedCode = snomedCode
    }
}

extension TargetStructure: Hashable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension TargetStructure: CustomStringConvertible {
    public var description: String { id.rawValue }
}

extension TargetStructure: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let id = try container.decode(ID.self)
        guard let structure = TargetStructure(id: id) else {
            let error = AnatomyParseError.unknownStructure(id.rawValue, suggestions: Self.closestIDs(to: id.rawValue))
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
        self = structure
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}
