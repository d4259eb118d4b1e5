import Foundation
import Records

extension PostgresArchive {
    public func add(_ account: Account) async throws {
        try Account.checkNewName(account.name)
        try await write("add user \(account.name)") { db in
            if try await db.exists("SELECT 1 FROM account WHERE name = ?", [account.name]) {
                throw ArchiveError(.conflict, "user \(account.name) exists already: change that account's password instead of adding it again", remedy: .changePassword)
            }
            try await db.execute("""
                INSERT INTO account (name, role, password_hash, disabled, created_at, password_changed_at, family_name, given_name, credentials)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [account.name, account.role.rawValue, account.passwordHash, account.disabled, account.createdAt, account.passwordChangedAt,
                      account.person?.family, account.person?.given, account.person?.credentials ?? ""])
        }
    }

    public func update(_ account: Account) async throws {
        try await write("update user \(account.name)") { db in
            let updated = try await db.rows("""
                UPDATE account SET role = ?, password_hash = ?, disabled = ?, password_changed_at = ?,
                                   family_name = ?, given_name = ?, credentials = ?
                WHERE name = ? RETURNING 1
                """, [account.role.rawValue, account.passwordHash, account.disabled, account.passwordChangedAt,
                      account.person?.family, account.person?.given, account.person?.credentials ?? "", account.name])
            guard updated.count == 1 else { throw ArchiveError(.notFound, "no user \(account.name)") }
        }
    }

    public func account(named name: String) async throws -> Account? {
        try await query("read user") { db in
            try await db.row("SELECT * FROM account WHERE name = ?", [name]).map(Self.account(from:))
        }
    }

    public func accounts() async throws -> [Account] {
        try await query("list users") { db in
            try await db.rows("SELECT * FROM account ORDER BY name").map(Self.account(from:))
        }
    }

    private static func account(from row: PGRow) throws -> Account {
        let name: String = try row.get("name"), roleText: String = try row.get("role")
        guard let role = Account.Role(rawValue: roleText) else {
            throw ArchiveError(.storage, "user row \(name) has an unknown role")
        }
        var person: PersonName?
        if let family = try row.get("family_name", as: String?.self), let given = try row.get("given_name", as: String?.self) {
            do {
                person = try PersonName(family: family, given: given, credentials: row.get("credentials"))
            } catch {
                throw ArchiveError(.storage, "user row \(name) has a name that is not allowed: \(error)")
            }
        }
        return try Account(name: name, role: role, person: person, passwordHash: row.get("password_hash"), disabled: row.get("disabled"),
                           createdAt: row.get("created_at"), passwordChangedAt: row.get("password_changed_at"))
    }
}
