import Foundation

extension Prolotherapy {
    /// Something added to a prolotherapy solution besides dextrose and lidocaine.
    ///
    /// Codable as a short id (`"vitamin-b12"`, `"sarapin"`, `"sodium-morrhuate"`,
    /// `"phenol"`); any other text is an ``other(_:)`` additive stored as written.
    public enum Additive: Hashable, Sendable {
        case vitaminB12
        /// Sarapin, the pitcher-plant extract.
        case sarapin
        case sodiumMorrhuate
        case phenol
        /// Anything else, named as the physician wrote it.
        case other(String)

        /// The stored id, or the text of an ``other(_:)`` additive.
        public var id: String {
            switch self {
            case .vitaminB12: "vitamin-b12"
            case .sarapin: "sarapin"
            case .sodiumMorrhuate: "sodium-morrhuate"
            case .phenol: "phenol"
            case .other(let text): text
            }
        }

        /// The name for people: `vitamin B12`, `Sarapin`.
        public var name: String {
            switch self {
            case .vitaminB12: "vitamin B12"
            case .sarapin: "Sarapin"
            case .sodiumMorrhuate: "sodium morrhuate"
            case .phenol: "phenol"
            case .other(let text): text
            }
        }

        /// The additive with this id, or an ``other(_:)`` additive holding the text.
        ///
        /// Only exact ids are recognised, so `.other("Phenol")` survives storage as
        /// written; `.other("phenol")` comes back as ``phenol``.
        public init(id: String) {
            self = Self.known.first { $0.id == id } ?? .other(id)
        }

        private static let known: [Additive] = [.vitaminB12, .sarapin, .sodiumMorrhuate, .phenol]
    }
}

extension Prolotherapy.Additive: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(id: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}
