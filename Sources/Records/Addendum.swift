import Foundation

/// A change made to a procedure record after its physician signed it. The signed version
/// stays as it was; each later change is one of these, numbered from 1, with who made it,
/// when, why, and what it changed, so a reader sees the record as signed and then each
/// amendment in order.
public struct Addendum: Codable, Hashable, Sendable {
    /// The longest reason kept: a sentence or two, not a second set of notes.
    public static let maximumReasonLength = 500

    /// 1 for the first change after signing.
    public let number: Int
    public let author: String
    public let createdAt: Date
    public let reason: String
    public let changes: [Change]

    /// One value that changed, as a person reads it: what, and from what to what.
    public struct Change: Codable, Hashable, Sendable {
        /// `indication`, `notes`, `complications`, `pain before`, `pain after`, `follow-ups`,
        /// `injections`, `scale`, `tag` or `needle`.
        public let field: String
        /// The still it is about, for a tag or a needle.
        public let still: UUID?
        /// "—" for nothing.
        public let before: String
        public let after: String

        public init(field: String, still: UUID? = nil, before: String, after: String) {
            self.field = field
            self.still = still
            self.before = before
            self.after = after
        }
    }

    /// - Throws: ``RecordError`` for a reason that is empty (after trimming) or longer
    ///   than ``maximumReasonLength``.
    public init(number: Int, author: String, createdAt: Date, reason: String, changes: [Change]) throws(RecordError) {
        guard number >= 1 else { throw .outOfRange(.revision, value: String(number)) }
        self.number = number
        self.author = author
        self.createdAt = createdAt
        self.reason = try Self.checkedReason(reason)
        self.changes = changes
    }

    /// The reason as stored: trimmed, present, not too long.
    public static func checkedReason(_ text: String?) throws(RecordError) -> String {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty(.addendumReason) }
        guard trimmed.count <= maximumReasonLength else {
            throw .tooLong(.addendumReason, length: trimmed.count, limit: maximumReasonLength)
        }
        return trimmed
    }
}
