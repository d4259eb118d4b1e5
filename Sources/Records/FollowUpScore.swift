import Foundation

/// A pain score taken some days after a treatment, by phone or at the next visit.
///
/// Codable as `{"daysAfter": 14, "score": 3}`.
public struct FollowUpScore: Hashable, Sendable {
    /// Days after the treatment; at least 1, since day 0 is the ``PainScores/after`` score.
    public let daysAfter: Int
    /// NRS 0-10.
    public let score: Int

    /// - Throws: ``RecordError`` when `daysAfter` is below 1 or `score` is outside 0-10.
    public init(daysAfter: Int, score: Int) throws(RecordError) {
        try NumberText.require(daysAfter, in: 1..., field: .followUpDay)
        try PainScores.check(score)
        self.daysAfter = daysAfter
        self.score = score
    }
}

extension FollowUpScore: Codable {
    private enum CodingKeys: String, CodingKey {
        case daysAfter, score
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let days = try container.decode(Int.self, forKey: .daysAfter)
        let score = try container.decode(Int.self, forKey: .score)
        self = try validated(decoder) { () throws(RecordError) in try FollowUpScore(daysAfter: days, score: score) }
    }
}
