import Foundation

/// One of the twelve ribs, numbered from the top; rib *n* articulates with
/// vertebra T*n* at its costotransverse and costovertebral joints.
///
/// Codable as its number.
public struct Rib: Hashable, Sendable {
    /// 1 to 12.
    public let number: Int

    /// The numbers of the ribs that exist.
    public static let numbers = 1...12

    /// Rib `number`, or `nil` outside 1-12.
    public init?(_ number: Int) {
        guard Self.numbers.contains(number) else { return nil }
        self.number = number
    }

    /// Rib `number`.
    /// - Throws: ``AnatomyParseError/noSuchRib(_:)`` outside 1-12.
    public init(number: Int) throws(AnatomyParseError) {
        guard let rib = Rib(number) else { throw .noSuchRib(number) }
        self = rib
    }

    /// The thoracic vertebra the rib articulates with, which is what the rib is
    /// matched by in search: rib 7 is found by a search for T7.
    ///
    /// Rib heads 2-9 also touch the vertebra above; that is left out so a rib
    /// stays one level, as the clinic names it (`T7 rib`).
    public var level: VertebralLevel {
        guard let level = VertebralLevel(region: .thoracic, number: number) else {
            preconditionFailure("rib numbers 1-12 are exactly the ordinary thoracic levels")
        }
        return level
    }
}

extension Rib: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }
}

extension Rib: CustomStringConvertible {
    /// `T7 rib`, the clinic's way of naming a rib by its level.
    public var description: String { "\(level) rib" }
}

extension Rib: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let number = try container.decode(Int.self)
        guard let rib = Rib(number) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: AnatomyParseError.noSuchRib(number).description)
        }
        self = rib
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(number)
    }
}
