import Foundation

/// Where a session stands in the patient's series: treatment `number` of
/// `planned`, and how long after the previous one.
///
/// Codable as `{"number": 2, "planned": 6, "daysSincePrevious": 14}`.
public struct TreatmentNumber: Hashable, Sendable {
    /// 1 for the first treatment.
    public let number: Int
    /// How many treatments the series is planned to have; at least ``number``.
    public let planned: Int
    /// Days since the previous treatment, when there was one and it is known.
    public let daysSincePrevious: Int?

    /// - Throws: ``RecordError`` when `number` is below 1, above `planned`
    ///   (`treatment 5 of 4: ...`), or `daysSincePrevious` is negative.
    public init(_ number: Int, of planned: Int, daysSincePrevious: Int? = nil) throws(RecordError) {
        try NumberText.require(number, in: 1..., field: .treatmentNumber)
        guard planned >= number else { throw .treatmentBeyondPlan(number: number, planned: planned) }
        if let days = daysSincePrevious { try NumberText.require(days, in: 0..., field: .daysSincePrevious) }
        self.number = number
        self.planned = planned
        self.daysSincePrevious = daysSincePrevious
    }

    /// Reads treatment x of n as the CLI and the tech's page take it: `2/6`.
    /// - Throws: ``RecordError`` for text that is not NUMBER/PLANNED, and as `init(_:of:)`.
    public init(parsing text: String) throws(RecordError) {
        let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let number = parts[0], let planned = parts[1] else {
            throw .malformed(.treatmentText, text: text)
        }
        try self.init(number, of: planned)
    }

    /// Whether this is the last planned treatment.
    public var isLast: Bool { number == planned }
}

extension TreatmentNumber: CustomStringConvertible {
    /// `2 of 6`.
    public var description: String { "\(number) of \(planned)" }
}

extension TreatmentNumber: Codable {
    private enum CodingKeys: String, CodingKey {
        case number, planned, daysSincePrevious
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let number = try container.decode(Int.self, forKey: .number)
        let planned = try container.decode(Int.self, forKey: .planned)
        let days = try container.decodeIfPresent(Int.self, forKey: .daysSincePrevious)
        self = try validated(decoder) { () throws(RecordError) in
            try TreatmentNumber(number, of: planned, daysSincePrevious: days)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(planned, forKey: .planned)
        try container.encodeIfPresent(daysSincePrevious, forKey: .daysSincePrevious)
    }
}
