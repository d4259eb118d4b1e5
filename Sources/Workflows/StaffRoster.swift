import Archive
import Foundation
import Records

/// Who may be named on a procedure record: a person with an active account of the role the
/// record asks for (issue 23). A record is a clinical document, so no placeholder ("physician",
/// "tech") and no name the clinic cannot trace to someone is written into it, its pages or
/// its DICOM objects.
public struct StaffRoster: Sendable {
    /// The part someone plays on a record, and the account role that may play it.
    public enum Duty: String, Sendable {
        /// Performs the procedure and signs the record.
        case physician
        /// Runs the recorder at the table.
        case tech

        var role: Account.Role {
            switch self {
            case .physician: .physician
            case .tech: .tech
            }
        }
    }

    public let archive: any ArchiveStore

    public init(archive: any ArchiveStore) {
        self.archive = archive
    }

    /// The accounts that may be named for `duty`, by user name.
    public func candidates(for duty: Duty) async throws -> [Account] {
        try await archive.accounts().filter { $0.role == duty.role && !$0.disabled && $0.person != nil }
    }

    /// The account named `name` for `duty`; with no name, the only one who can be (a clinic
    /// with one physician need not type them on every session).
    ///
    /// - Throws: ``WorkflowError`` `.invalid` naming who can be chosen, when `name` is not an
    ///   account, is disabled, has another role, has no person's name yet, or is missing while
    ///   several could be meant.
    public func resolve(_ name: String?, as duty: Duty) async throws -> Account {
        guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            let choices = try await candidates(for: duty)
            if choices.count == 1 { return choices[0] }
            throw WorkflowError(.invalid, "say which \(duty.rawValue) \(duty == .tech ? "runs the recorder" : "performs the procedure"): \(Self.list(choices, duty))")
        }
        let shown = String(name.prefix(Account.maximumNameLength))
        // The list of who can be chosen is read only for a refusal.
        func refuse(_ why: String) async throws -> WorkflowError {
            WorkflowError(.invalid, "\(why): the \(duty.rawValue) is \(Self.list(try await candidates(for: duty), duty))")
        }
        guard let account = try await archive.account(named: name) else {
            throw try await refuse("\(shown) is not an account")
        }
        if account.disabled {
            throw try await refuse("\(shown)'s account is disabled")
        }
        if account.role != duty.role {
            throw try await refuse("\(shown) is a \(account.role.rawValue), not a \(duty.rawValue)")
        }
        if account.person == nil {
            throw WorkflowError(.invalid, "\(shown)'s account has no family and given name yet: an admin gives it one before it is named on a record")
        }
        return account
    }

    /// "one of dr.lee (Ann Lee, MD), dr.kim (Jo Kim)", or what to do when there is no one.
    static func list(_ choices: [Account], _ duty: Duty) -> String {
        if choices.isEmpty {
            return "no one yet: an admin adds a \(duty.rawValue) account with the person's family and given name"
        }
        return "one of " + choices.map(\.label).joined(separator: ", ")
    }
}
