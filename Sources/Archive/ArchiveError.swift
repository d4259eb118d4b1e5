/// Why an archive operation failed, in words that say what would be right.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The archive was written by a newer NeedleLog whose schema this build does not know.
        case newerSchema
        /// A referenced patient, session or still does not exist.
        case notFound
        /// The value would break a rule (a duplicate patient id, a still for an unknown session).
        case conflict
        /// The request itself is wrong (a bad query, a bad value).
        case invalid
        /// The disk or the database failed.
        case storage
        /// Another program holds the database's write lock (a backup, `sqlite3` with a
        /// transaction open): the same write may succeed once it lets go.
        case busy
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
