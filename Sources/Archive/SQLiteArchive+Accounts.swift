import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// - Throws: ``ArchiveError`` `.invalid` for a reserved name, `.conflict` when the name is taken.
    public func add(_ account: Account) async throws {
        try Account.checkNewName(account.name)
        try await write("add user \(account.name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [account.name]) == true {
                throw ArchiveError(.conflict, "user \(account.name) exists already: change that account's password instead of adding it again", remedy: .changePassword)
            }
            try db.execute(sql: """
                INSERT INTO account (name, role, password_hash, disabled, created_at, password_changed_at,
                                     family_name, given_name, credentials)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [account.name, account.role.rawValue, account.passwordHash, account.disabled,
                                 account.createdAt, account.passwordChangedAt,
                                 account.person?.family, account.person?.given, account.person?.credentials ?? ""])
        }
    }

    /// Saves a changed role, name, password hash or disabled flag.
    public func update(_ account: Account) async throws {
        try await write("update user \(account.name)") { db in
            try db.execute(sql: """
                UPDATE account SET role = ?, password_hash = ?, disabled = ?, password_changed_at = ?,
                                   family_name = ?, given_name = ?, credentials = ?
                WHERE name = ?
                """, arguments: [account.role.rawValue, account.passwordHash, account.disabled, account.passwordChangedAt,
                                 account.person?.family, account.person?.given, account.person?.credentials ?? "", account.name])
            guard db.changesCount == 1 else { throw ArchiveError(.notFound, "no user \(account.name)") }
        }
    }

    public func account(named name: String) async throws -> Account? {
        try await read("read user") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.account(from:))
        }
    }

    public func accounts() async throws -> [Account] {
        try await read("list users") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Self.account(from:))
        }
    }

    private static func account(from row: Row) throws -> Account {
        guard let role = Account.Role(rawValue: row["role"]) else {
            throw ArchiveError(.storage, "user row \(row["name"] as String) has an unknown role")
        }
        var person: PersonName?
        if let family: String = row["family_name"], let given: String = row["given_name"] {
            do {
                person = try PersonName(family: family, given: given, credentials: row["credentials"])
            } catch {
                throw ArchiveError(.storage, "user row \(row["name"] as String) has a name that is not allowed: \(error)")
            }
        }
        return try Account(name: row["name"], role: role, person: person, passwordHash: row["password_hash"], disabled: row["disabled"],
                           createdAt: row["created_at"], passwordChangedAt: row["password_changed_at"])
    }
}
