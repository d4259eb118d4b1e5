import Foundation

/// Where on the spine or trunk a still or an injection is: a level, segment,
/// range or region of the spine, or one of the clinic's non-vertebral sites,
/// optionally with a side.
///
/// Parse what a tech types with ``init(parsing:options:)``; `description` gives
/// the canonical form (`left T7 rib`, `L4-L5`), which parses back to an equal site.
/// Codable as that canonical text.
public struct AnatomicSite: Hashable, Sendable {
    /// The place, without its side.
    public var location: Location
    /// The side, when one was given.
    public var laterality: Laterality?

    public init(_ location: Location, laterality: Laterality? = nil) {
        self.location = location
        self.laterality = laterality
    }

    /// A site on the spine: a level, segment or range.
    public init(_ span: VertebralSpan, laterality: Laterality? = nil) {
        self.init(.vertebrae(span), laterality: laterality)
    }

    /// A site at one vertebra.
    public init(_ level: VertebralLevel, laterality: Laterality? = nil) {
        self.init(.vertebrae(VertebralSpan(level)), laterality: laterality)
    }
}

extension AnatomicSite: CustomStringConvertible {
    /// The canonical form: the side first, then the place (`left SI joint`).
    public var description: String {
        [laterality?.description, location.description].compactMap(\.self).joined(separator: " ")
    }
}

extension AnatomicSite: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try AnatomicSite(parsing: text, options: .allowingTransitionalLevels)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
