import Foundation

/// Pain on the 0-10 numeric rating scale (NRS) before and after a treatment
/// and at follow-ups.
///
/// Scores not yet taken are `nil`; follow-ups are kept in day order, one per day.
/// Codable as `{"before": 7, "after": 4, "followUps": [{"daysAfter": 14, "score": 3}]}`.
public struct PainScores: Hashable, Sendable {
    /// Before the treatment.
    public let before: Int?
    /// Straight after the treatment.
    public let after: Int?
    /// Later scores, ordered by ``FollowUpScore/daysAfter``.
    public let followUps: [FollowUpScore]

    /// The NRS's range.
    public static let scale = 0...10

    /// No score taken yet.
    public static let unrecorded = PainScores(checkedBefore: nil, after: nil, followUps: [])

    /// - Throws: ``RecordError`` for a score outside 0-10
    ///   (`pain score 11 is out of range: NRS is 0-10`) or two follow-ups on one day.
    public init(before: Int? = nil, after: Int? = nil, followUps: [FollowUpScore] = []) throws(RecordError) {
        for score in [before, after].compactMap(\.self) { try Self.check(score) }
        let ordered = followUps.sorted { $0.daysAfter < $1.daysAfter }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.daysAfter == later.daysAfter {
            throw .duplicateFollowUp(daysAfter: later.daysAfter)
        }
        self.init(checkedBefore: before, after: after, followUps: ordered)
    }

    private init(checkedBefore before: Int?, after: Int?, followUps: [FollowUpScore]) {
        self.before = before
        self.after = after
        self.followUps = followUps
    }

    /// These scores with one more follow-up.
    /// - Throws: ``RecordError`` when there is already a score on that day.
    public func adding(_ followUp: FollowUpScore) throws(RecordError) -> PainScores {
        try PainScores(before: before, after: after, followUps: followUps + [followUp])
    }

    static func check(_ score: Int) throws(RecordError) {
        try NumberText.require(score, in: scale, field: .painScore)
    }
}

extension PainScores: Codable {
    private enum CodingKeys: String, CodingKey {
        case before, after, followUps
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let before = try container.decodeIfPresent(Int.self, forKey: .before)
        let after = try container.decodeIfPresent(Int.self, forKey: .after)
        let followUps = try container.decodeIfPresent([FollowUpScore].self, forKey: .followUps) ?? []
        self = try validated(decoder) { () throws(RecordError) in
            try PainScores(before: before, after: after, followUps: followUps)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(before, forKey: .before)
        try container.encodeIfPresent(after, forKey: .after)
        try container.encode(followUps, forKey: .followUps)
    }
}
