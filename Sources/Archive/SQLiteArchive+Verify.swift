import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// How long a file stays "being written": a still whose row is not yet committed, a
    /// temporary in `incoming/`. `verify` neither reports nor moves anything younger.
    public static let inFlightAge: TimeInterval = ArchiveFolderCheck.inFlightAge

    /// Checks the archive: SQLite's integrity, every row's parent, every still's file
    /// (present, and hashing to its name), files that no row claims, and files or folders
    /// open to other accounts than the owner.
    ///
    /// With `repair`, orphan and stray files (and half-written leftovers in `incoming/`)
    /// are moved to `quarantine/<time>/`, keeping their paths: nothing is deleted; modes
    /// open to others are tightened to the owner's. Rows without files cannot be repaired
    /// by moving and stay reported. Files younger than ``inFlightAge`` are left alone
    /// (listed in `leftAlone`): a recorder may be between a still's file and its row.
    /// Run repair under an exclusive ``ArchiveLock`` so no writer runs at the same time.
    public func verify(repair: Bool) async throws -> VerificationReport {
        try await verify(repair: repair, now: Date())
    }

    /// ``verify(repair:)`` with the time files' ages are measured from.
    public func verify(repair: Bool, now: Date) async throws -> VerificationReport {
        let database = try await read("check the database") { db in
            var problems: [VerificationReport.Problem] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] {
                problems += integrity.map { .databaseDamaged(detail: $0) }
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row["table"], parent: String = row["parent"]
                let rowid: Int64? = row["rowid"]
                problems.append(.orphanRow(table: table, row: rowid.map { "rowid \($0)" } ?? "?", missingParent: parent))
            }
            let stills = try Row.fetchAll(db, sql: "SELECT id, file_hash FROM still").map { row in
                (id: UUID(uuidString: row["id"]) ?? UUID(), hash: row["file_hash"] as String)
            }
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            return (problems: problems, stills: stills, version: version)
        }
        return try ArchiveFolderCheck(location: location, files: files)
            .report(databaseProblems: database.problems, stills: database.stills, schemaVersion: database.version, repair: repair, now: now)
    }
}
