import Foundation

/// One vertebra: C1-C7, T1-T12, L1-L5, S1-S5 or the coccyx, plus the transitional
/// T13 and L6 that some patients have.
///
/// The raw value is the level's ``position``, a stable integer in anatomical order,
/// so `Comparable` sorts levels from head to tail and never alphabetically.
/// A level is Codable as its name (`"L4"`, `"coccyx"`) because that is what a person
/// reading stored JSON expects; use ``position`` for database columns.
public enum VertebralLevel: Int, CaseIterable, Hashable, Sendable {
    case c1 = 101, c2, c3, c4, c5, c6, c7
    case t1 = 201, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12
    /// A thirteenth thoracic vertebra: transitional anatomy, accepted only when asked for.
    case t13
    case l1 = 301, l2, l3, l4, l5
    /// A sixth lumbar vertebra: transitional anatomy, accepted only when asked for.
    case l6
    case s1 = 401, s2, s3, s4, s5
    /// The coccyx, counted as one level because its segments fuse and cannot be
    /// told apart on ultrasound.
    case coccyx = 501

    /// The level's place along the spine, for storage and indexed search.
    ///
    /// Positions are `100 × region + number`: cervical 101-107, thoracic 201-212,
    /// lumbar 301-305, sacral 401-405, coccyx 501. Transitional levels take the next
    /// number in their region (T13 = 213, L6 = 306), which leaves every ordinary
    /// level's number untouched. The numbering is part of the storage format:
    /// never renumber. ``AnatomicSite/searchInterval`` uses 900 for the sternum.
    public var position: Int { rawValue }

    /// The level at a stored position, or `nil` if no level has that number.
    public init?(position: Int) {
        self.init(rawValue: position)
    }

    /// The region the level belongs to; T13 is thoracic and L6 lumbar.
    public var region: SpinalRegion {
        guard let region = SpinalRegion(positionBase: rawValue / 100 * 100) else {
            preconditionFailure("every level's position lies in a region's hundreds")
        }
        return region
    }

    /// The level's number within its region (4 for L4, 1 for the coccyx).
    public var number: Int { rawValue % 100 }

    /// Whether the level exists only in transitional anatomy (T13, L6).
    public var isTransitional: Bool { self == .t13 || self == .l6 }

    /// The levels of an ordinary spine, C1 to the coccyx, in anatomical order.
    public static let ordinaryLevels: [VertebralLevel] = allCases.filter { !$0.isTransitional }

    /// The level with this number in a region, transitional or not.
    public init?(region: SpinalRegion, number: Int) {
        guard let level = Self(rawValue: region.positionBase + number), level.region == region else {
            return nil
        }
        self = level
    }
}

extension VertebralLevel: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension VertebralLevel: CustomStringConvertible {
    /// The canonical name: `C5`, `T12`, `L4`, `S1`, `coccyx`.
    public var description: String {
        guard let letter = region.letter else { return "coccyx" }
        return "\(letter)\(number)"
    }
}

extension VertebralLevel: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            // Stored values were checked when written, so transitional levels are fine here.
            self = try VertebralLevel(parsing: text, options: .allowingTransitionalLevels)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
