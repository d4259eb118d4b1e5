import Foundation
import Records

/// Someone who may sign in to the review pages or drive the recorder.
///
/// The archive keeps only the password's bcrypt hash; hashing is the server's job.
public struct Account: Sendable, Equatable {
    /// What an account may do.
    public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
        /// Captures, tags and sees the sessions they recorded.
        case tech
        /// Reviews and annotates every session.
        case physician
        /// Manages accounts; may also do what a physician does.
        case admin

        public static func < (lhs: Role, rhs: Role) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let name: String
    public var role: Role
    /// Who the account is, for records, pages and DICOM; nil only for an account made
    /// before accounts had names (such an account cannot be named on a new record).
    public var person: PersonName?
    public var passwordHash: String
    public var disabled: Bool
    public let createdAt: Date
    public var passwordChangedAt: Date

    /// - Throws: ``ArchiveError`` `.invalid` when the name is not 1-64 of a-z, 0-9, `.`, `_`, `-`.
    public init(name: String, role: Role, person: PersonName? = nil, passwordHash: String, disabled: Bool = false,
                createdAt: Date = Date(), passwordChangedAt: Date? = nil) throws {
        try Self.checkName(name)
        self.name = name
        self.role = role
        self.person = person
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt ?? createdAt
    }

    /// "dr.lee (Ann Lee, MD)": what to type, then who it is; the user name alone for an
    /// account without a person's name.
    public var label: String {
        person.map { "\(name) (\($0.display))" } ?? name
    }

    /// User names are short lower-case words, so they read the same in the audit trail,
    /// in session records and on the command line.
    public static func checkName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...maximumNameLength).contains(name.utf8.count), name.allSatisfy(allowed.contains), name.first != "-" else {
            throw ArchiveError(.invalid, "user name '\(name.prefix(maximumNameLength))\(name.utf8.count > maximumNameLength ? "..." : "")' is not allowed: use 1-\(maximumNameLength) lower-case letters, digits, '.', '_' or '-' (for example dr.lee)")
        }
    }

    /// The longest user name an account can have, in characters (each one byte: the
    /// allowed characters are ASCII).
    public static let maximumNameLength = 64

    /// Names no new account may take: `station` was how the recorder's own command line
    /// (the station token) appeared before it had an identity no account can share.
    public static let reservedNames: Set<String> = ["station"]

    /// ``checkName(_:)`` and not one of the ``reservedNames``: for a new account only,
    /// so an archive that already holds such an account still reads it.
    public static func checkNewName(_ name: String) throws {
        try checkName(name)
        guard !reservedNames.contains(name) else {
            throw ArchiveError(.invalid, "user name '\(name)' is reserved for the recorder's own command line: choose a person's name, for example dr.lee or sam.tech")
        }
    }
}
