import Foundation

/// A region of the vertebral column, from the neck down.
///
/// `Comparable` follows the spine from head to tail, so sorting regions gives
/// cervical, thoracic, lumbar, sacral, coccygeal. Codable as its raw value
/// (`"lumbar"`).
public enum SpinalRegion: String, CaseIterable, Hashable, Sendable, Codable {
    case cervical
    case thoracic
    case lumbar
    case sacral
    case coccygeal

    /// The ordinary levels of the region, top to bottom; transitional levels
    /// (T13, L6) are left out because most patients do not have them.
    public var levels: [VertebralLevel] {
        VertebralLevel.allCases.filter { $0.region == self && !$0.isTransitional }
    }

    /// The region as a span of levels: `C1-C7`, `T1-T12`, `L1-L5`, `S1-S5`, `coccyx`.
    public var span: VertebralSpan {
        let levels = levels
        guard let first = levels.first, let last = levels.last else {
            preconditionFailure("every spinal region has at least one ordinary level")
        }
        return VertebralSpan(covering: first, last)
    }

    /// The letter that opens a level's name (`L` in `L4`); the coccyx has none.
    var letter: Character? {
        switch self {
        case .cervical: "C"
        case .thoracic: "T"
        case .lumbar: "L"
        case .sacral: "S"
        case .coccygeal: nil
        }
    }

    /// The hundreds digit of every position in the region (see ``VertebralLevel/position``).
    var positionBase: Int {
        switch self {
        case .cervical: 100
        case .thoracic: 200
        case .lumbar: 300
        case .sacral: 400
        case .coccygeal: 500
        }
    }

    /// The region whose levels start with `letter`, in either case.
    init?(letter: Character) {
        let written = letter.lowercased()
        guard let region = Self.allCases.first(where: { $0.letter?.lowercased() == written }) else { return nil }
        self = region
    }

    init?(positionBase: Int) {
        guard let region = Self.allCases.first(where: { $0.positionBase == positionBase }) else { return nil }
        self = region
    }
}

extension SpinalRegion: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.positionBase < rhs.positionBase
    }
}

extension SpinalRegion: CustomStringConvertible {
    /// The region's name as the parser reads it back: `lumbar`.
    public var description: String { rawValue }
}
