import Foundation
import GRDB
import Records

/// The default archive: a SQLite file (WAL mode, through GRDB) and the still files
/// beside it, in one folder (`ArchiveLocation`).
///
/// Safe to share between tasks and processes: GRDB's pool serialises writers and
/// lets readers run alongside them on snapshots, so one recorder can write while
/// several searches read.
public final class SQLiteArchive: ArchiveStore {
    public let location: ArchiveLocation
    public let files: StillFileStore
    let pool: DatabasePool

    /// Opens the archive in `location`, creating it (and running migrations) if needed.
    ///
    /// - Parameter create: when false, a folder with no archive is an error rather
    ///   than a new empty archive (for commands that only read).
    /// - Throws: `ArchiveError(.newerSchema)` when a newer NeedleLog wrote the archive;
    ///   `.notFound` when there is none and `create` is false; `.storage` otherwise.
    public init(location: ArchiveLocation, create: Bool = true) throws {
        self.location = location
        files = StillFileStore(location: location)
        let manager = FileManager.default
        if !create, !manager.fileExists(atPath: location.database.path) {
            throw ArchiveError(.notFound, "no archive at \(location.root.path): import a clip or add a patient first, or choose the folder an archive is in",
                               remedy: .chooseArchive)
        }
        do {
            // Owner-only (0700), whatever the umask: the folders hold every patient's data.
            for folder in [location.root, location.stills, location.recordings, location.incoming] {
                try OwnerOnly.createFolder(folder)
            }
        } catch {
            throw ArchiveError(.storage, "cannot create the archive folder \(location.root.path): \(error)")
        }
        // SQLite would create the file 0644 less the umask, and gives its WAL and SHM files
        // the database's mode: made empty as 0600 first, all three are owner-only.
        if !manager.fileExists(atPath: location.database.path),
           let descriptor = try? OwnerOnly.createFile(location.database.path) {
            close(descriptor)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (the daemon, a second CLI) may hold the write lock briefly.
        configuration.busyMode = .timeout(10)
        configuration.label = "needlelog-archive"
        do {
            pool = try DatabasePool(path: location.database.path, configuration: configuration)
        } catch {
            throw ArchiveError(.storage, "cannot open \(location.database.path): \(error)")
        }
        try Self.checkVersion(pool, location: location)
        do {
            try ArchiveSchema.migrator.migrate(pool)
        } catch {
            throw ArchiveError(.storage, "cannot bring the archive's schema up to date: \(error)")
        }
    }

    /// The schema version stored in the file.
    public func schemaVersion() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    private static func checkVersion(_ pool: DatabasePool, location: ArchiveLocation) throws {
        let version: Int
        do {
            version = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
        } catch {
            throw ArchiveError(.storage, "cannot read \(location.database.path): \(error)")
        }
        if version > ArchiveSchema.currentVersion {
            throw ArchiveError(.newerSchema,
                               "the archive at \(location.root.path) has schema version \(version), written by a newer NeedleLog; this one understands up to version \(ArchiveSchema.currentVersion). Upgrade NeedleLog to open it; nothing was changed.")
        }
    }

    /// Runs a write, turning SQLite's constraint failures into messages about the records.
    func write<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as ArchiveError {
            throw error
        } catch let error as Records.RecordError {
            // A change refused by the record's own rules (a pain score of 11): the caller's words.
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw ArchiveError(.conflict, "cannot \(what): \(error.message ?? "a rule of the archive was broken")")
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw ArchiveError(.busy, "cannot \(what): another program holds the archive's database locked (a backup, or sqlite3 with a transaction open)")
        } catch {
            throw ArchiveError(.storage, "cannot \(what): \(error)")
        }
    }

    func read<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.storage, "cannot \(what): \(error)")
        }
    }
}
