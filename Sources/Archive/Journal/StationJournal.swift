import Foundation
import GRDB

/// A station's own record of the writes its shared archive has not received yet: a small
/// SQLite file on the station's disk, each entry made durable before the write counts as
/// done, so a database outage, or a station restarted during one, loses nothing.
///
/// Entries are kept in the order they were made and leave only once the database has
/// them; one the database refuses for a reason of its own (not an outage) moves to
/// `refused`, kept for a person to look at, and the rest go on.
public final class StationJournal: Sendable {
    public let path: URL
    private let queue: DatabaseQueue

    /// `$XDG_STATE_HOME/needlelog/journal.sqlite`, else `~/.local/state/needlelog/journal.sqlite`:
    /// the station's own disk, never the shared folder (which may be away with the database).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return URL(fileURLWithPath: state + "/needlelog/journal.sqlite")
    }

    public init(path: URL) throws {
        self.path = path
        do {
            try OwnerOnly.createFolder(path.deletingLastPathComponent())
            // Owner-only like the archive: the entries hold patients' pictures and records.
            if !FileManager.default.fileExists(atPath: path.path) { close(try OwnerOnly.createFile(path.path)) }
            var configuration = Configuration()
            configuration.label = "needlelog-journal"
            queue = try DatabaseQueue(path: path.path, configuration: configuration)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS entry (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        png BLOB,
                        recorded_at REAL NOT NULL
                    ) STRICT;
                    CREATE TABLE IF NOT EXISTS refused (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        png BLOB,
                        recorded_at REAL NOT NULL,
                        reason TEXT NOT NULL
                    ) STRICT;
                    """)
            }
        } catch let error as OwnerOnly.Failure {
            throw ArchiveError(.storage, "cannot create the station's journal at \(path.path): \(error)")
        } catch {
            throw ArchiveError(.storage, "cannot open the station's journal at \(path.path): \(error)")
        }
    }

    /// Appends an entry; it is on disk when this returns.
    public func append(_ entry: JournalEntry) throws {
        do {
            let stored = try entry.write.stored
            try queue.write { db in
                try db.execute(sql: "INSERT INTO entry (id, kind, payload, png, recorded_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [entry.id.uuidString.lowercased(), stored.kind, stored.payload, stored.png,
                                           entry.recordedAt.timeIntervalSince1970])
            }
        } catch {
            throw ArchiveError(.storage, "cannot keep \(entry.summary) in the station's journal \(path.path): \(error)")
        }
    }

    /// The oldest entry still waiting.
    public func first() throws -> JournalEntry? {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM entry ORDER BY seq LIMIT 1") else { return nil }
            return try Self.entry(from: row)
        }
    }

    /// Removes an entry the database has.
    public func remove(_ id: UUID) throws {
        try queue.write { db in try db.execute(sql: "DELETE FROM entry WHERE id = ?", arguments: [id.uuidString.lowercased()]) }
    }

    /// Moves an entry the database refused aside, with why.
    public func refuse(_ id: UUID, because reason: String) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO refused (id, kind, payload, png, recorded_at, reason)
                SELECT id, kind, payload, png, recorded_at, ? FROM entry WHERE id = ?
                """, arguments: [reason, id.uuidString.lowercased()])
            try db.execute(sql: "DELETE FROM entry WHERE id = ?", arguments: [id.uuidString.lowercased()])
        }
    }

    /// Whether any entry waits: asked before every write at the table, so one indexed look.
    public func hasWaiting() throws -> Bool {
        try queue.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM entry)") ?? false }
    }

    /// Entries waiting, and entries the database refused.
    public func counts() throws -> (waiting: Int, refused: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM entry") ?? 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM refused") ?? 0)
        }
    }

    private static func entry(from row: Row) throws -> JournalEntry {
        guard let id = UUID(uuidString: row["id"]) else { throw ArchiveError(.storage, "the station's journal has an entry without an id") }
        return JournalEntry(id: id, write: try JournalEntry.Write(kind: row["kind"], payload: row["payload"], png: row["png"]),
                            recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }
}
