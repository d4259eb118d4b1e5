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
        /// A shared archive's database does not answer (down, or the network to it): a
        /// station keeps what it records in its journal until it does.
        case unreachable
    }

    /// What the person can change to put it right, when it is a choice they make where
    /// they started the work: the message says it in the clinic's words, and each edge
    /// names its own control (the command line its flag, a page its field).
    public enum Remedy: String, Sendable {
        /// Choose the folder the archive is in.
        case chooseArchive
        /// Choose a new, empty folder for the archive.
        case chooseNewArchiveFolder
        /// Import the same file again, on purpose.
        case importAgain
        /// Add the patient to the archive first.
        case addPatient
        /// Check the archive's records against its files (a record names what is not there).
        case checkArchive
        /// Change the existing account's password instead of adding it again.
        case changePassword
        /// Make a backup of an archive first.
        case makeBackup
    }

    public let kind: Kind
    public let message: String
    public let remedy: Remedy?

    public init(_ kind: Kind, _ message: String, remedy: Remedy? = nil) {
        self.kind = kind
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }
}
