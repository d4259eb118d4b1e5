import Archive
import Foundation
import Records

/// Adding and changing accounts, for `needlelog users` and the admin API alike: checks
/// the password, hashes it (on ``WorkerPool/passwords``), stores the account and writes the
/// change to the audit trail, refused additions included.
public struct AccountBook: Sendable {
    public let archive: any ArchiveStore
    public let hasher: PasswordHasher

    public init(archive: any ArchiveStore, hasher: PasswordHasher = PasswordHasher()) {
        self.archive = archive
        self.hasher = hasher
    }

    /// - Parameters:
    ///   - person: who the account is; required for a tech or physician, whose names go
    ///     on records and into DICOM.
    ///   - actor: who makes the change (an admin's name, or the OS user at the CLI).
    @discardableResult
    public func add(_ name: String, role: Account.Role, person: PersonName?, password: String, by actor: String) async throws -> Account {
        do {
            try Account.checkNewName(name)
            if person == nil && role != .admin {
                throw WorkflowError(.invalid, "a \(role.rawValue) account needs the person's family and given name: records, pages and DICOM name them")
            }
            let account = try Account(name: name, role: role, person: person, passwordHash: try await hasher.hash(try PasswordHasher.check(password)))
            try await archive.add(account)
            try await archive.audit(AuditEvent(actor: actor, action: .userAdd, target: "user:\(name)", detail: "role \(role.rawValue)"))
            return account
        } catch {
            do {
                try await archive.audit(AuditEvent(actor: actor, action: .userAdd, target: "user:\(name.prefix(64))", outcome: .failure,
                                                   detail: "\(error)"))
            } catch let auditError {
                // The refusal itself is what the caller must hear; the journal keeps the rest.
                FileHandle.standardError.write(Data("accounts: could not write a refused account addition to the audit trail: \(auditError)\n".utf8))
            }
            throw error
        }
    }

    /// Changes what is given; `nil` leaves it as it was.
    @discardableResult
    public func change(_ name: String, role: Account.Role? = nil, person: PersonName? = nil, password: String? = nil,
                       disabled: Bool? = nil, by actor: String) async throws -> Account {
        guard var account = try await archive.account(named: name) else {
            throw WorkflowError(.notFound, "there is no account named \(name.prefix(64)): the list of users shows who exists")
        }
        var changes: [String] = []
        if let role, role != account.role {
            account.role = role
            changes.append("role \(role.rawValue)")
        }
        if let person, person != account.person {
            account.person = person
            // The audit trail says that the name changed, not the name (no identifiers in it).
            changes.append("name")
        }
        if let password {
            account.passwordHash = try await hasher.hash(try PasswordHasher.check(password))
            account.passwordChangedAt = Date()
            changes.append("password")
        }
        if let disabled, disabled != account.disabled {
            account.disabled = disabled
            changes.append(disabled ? "disabled" : "enabled")
        }
        try await archive.update(account)
        try await archive.audit(AuditEvent(actor: actor, action: .userChange, target: "user:\(name)",
                                           detail: changes.isEmpty ? "no change" : changes.joined(separator: ", ")))
        return account
    }
}
