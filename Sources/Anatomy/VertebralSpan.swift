import Foundation

/// A run of consecutive vertebrae written by its two ends: a single level (`L4`),
/// a segment of two adjacent levels (`L4-L5`, `L5-S1`, `C7-T1`) or a range (`L3-S1`).
///
/// The ends are kept in anatomical order, so a span can never be upside down.
/// A span is Codable as its canonical text (`"L4-L5"`).
public struct VertebralSpan: Hashable, Sendable {
    /// The end nearer the head.
    public let upper: VertebralLevel
    /// The end nearer the tail; equal to ``upper`` for a single level.
    public let lower: VertebralLevel

    /// What kind of span this is, by how many levels it joins.
    public enum Kind: Hashable, Sendable {
        /// One vertebra.
        case level
        /// Two adjacent vertebrae.
        case segment
        /// More than two vertebrae.
        case range
    }

    /// A span of one level.
    public init(_ level: VertebralLevel) {
        upper = level
        lower = level
    }

    /// A span from `upper` down to `lower`, or `nil` if `lower` lies above `upper`.
    public init?(upper: VertebralLevel, lower: VertebralLevel) {
        guard upper <= lower else { return nil }
        self.upper = upper
        self.lower = lower
    }

    /// The smallest span that holds both levels, whichever order they come in.
    public init(covering first: VertebralLevel, _ second: VertebralLevel) {
        upper = min(first, second)
        lower = max(first, second)
    }

    /// Whether this span is a level, a segment or a range.
    ///
    /// Two levels are adjacent when no ordinary level lies between them: `L5-S1` is a
    /// segment, and so are `L5-L6` and `L6-S1` in a patient with an L6.
    public var kind: Kind {
        if upper == lower { return .level }
        let between = VertebralLevel.ordinaryLevels.contains { $0 > upper && $0 < lower }
        return between ? .range : .segment
    }

    /// The vertebrae the span covers, top to bottom.
    ///
    /// A transitional level is included only when it is one of the ends: `L3-S1` is
    /// read as an ordinary spine (L3, L4, L5, S1) and never implies an L6.
    public var levels: [VertebralLevel] {
        VertebralLevel.allCases.filter { level in
            level >= upper && level <= lower && (!level.isTransitional || level == upper || level == lower)
        }
    }

    /// Whether `level` lies between the ends, inclusive.
    public func contains(_ level: VertebralLevel) -> Bool {
        level >= upper && level <= lower
    }

    /// Whether the two spans share any part of the spine.
    public func overlaps(_ other: VertebralSpan) -> Bool {
        upper <= other.lower && other.upper <= lower
    }

    /// The part of the spine both spans cover, or `nil` if they do not meet.
    public func intersection(_ other: VertebralSpan) -> VertebralSpan? {
        VertebralSpan(upper: max(upper, other.upper), lower: min(lower, other.lower))
    }

    /// The span as a closed interval of ``VertebralLevel/position`` values.
    public var positions: ClosedRange<Int> { upper.position...lower.position }
}

extension VertebralSpan: Comparable {
    /// Anatomical order: by upper end, then by lower end, so `L4` < `L4-L5` < `L5`.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.upper, lhs.lower) < (rhs.upper, rhs.lower)
    }
}

extension VertebralSpan: CustomStringConvertible {
    /// The canonical form, which ``init(parsing:options:)`` reads back: `L4`,
    /// `L4-L5`, `C5-C6`, `L5-S1`, `L3-S1`, `S5-coccyx`.
    public var description: String {
        upper == lower ? "\(upper)" : "\(upper)-\(lower)"
    }
}

extension VertebralSpan: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try VertebralSpan(parsing: text, options: .allowingTransitionalLevels)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
