import Foundation

extension PostgresArchive {
    /// Checks the shared folder against the database: PostgreSQL keeps its own pages
    /// whole and its foreign keys enforced, so what is left to check is every still's
    /// file and what lies in the folder (``ArchiveFolderCheck``).
    public func verify(repair: Bool, now: Date) async throws -> VerificationReport {
        let database = try await read("check the database") { db in
            let stills = try await db.rows("SELECT id, file_hash FROM still").map { row in
                (id: UUID(uuidString: try row.get("id")) ?? UUID(), hash: try row.get("file_hash", as: String.self))
            }
            let version = try await db.value("SELECT version FROM archive_schema WHERE id = 1", as: Int.self) ?? 0
            return (stills: stills, version: version)
        }
        return try ArchiveFolderCheck(location: location, files: files)
            .report(databaseProblems: [], stills: database.stills, schemaVersion: database.version, repair: repair, now: now)
    }

    /// A shared archive is backed up by PostgreSQL's own tools and the file server's:
    /// NeedleLog's backup copies an embedded archive only.
    @discardableResult
    public func backup(to destination: URL) async throws -> ArchiveBackup.Manifest {
        throw ArchiveError(.invalid, "the archive in \(address) is a shared PostgreSQL database: back it up with pg_dump (or the server's continuous archiving) and copy the file folder \(location.root.path) with the file server's backup; needlelog backup copies an embedded archive")
    }
}
