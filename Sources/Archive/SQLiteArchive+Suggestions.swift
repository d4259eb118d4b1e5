import Foundation
import GRDB
import Records

extension SQLiteArchive {
    public func saveNeedleSuggestion(_ suggestion: NeedleSuggestion?, forStill id: UUID, detector: String, at date: Date = Date()) async throws {
        let stillID = id.uuidString.lowercased()
        let document = try suggestion.map { try ArchiveCoding.encode($0) }
        try await write("save the needle suggestion") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM still WHERE id = ?", arguments: [stillID]) == true else {
                throw ArchiveError(.notFound, "no still \(stillID)")
            }
            try db.execute(sql: """
                INSERT INTO needle_suggestion (still_id, detector, computed_at, suggestion) VALUES (?, ?, ?, ?)
                ON CONFLICT (still_id) DO UPDATE SET detector = excluded.detector, computed_at = excluded.computed_at,
                    suggestion = excluded.suggestion
                """, arguments: [stillID, detector, date, document])
        }
    }

    public func needleSuggestion(ofStill id: UUID) async throws -> StillNeedleSuggestion? {
        let stored = try await read("read the needle suggestion") { db -> (detector: String, computedAt: Date, document: String?)? in
            try Row.fetchOne(db, sql: "SELECT detector, computed_at, suggestion FROM needle_suggestion WHERE still_id = ?",
                             arguments: [id.uuidString.lowercased()]).map { ($0["detector"], $0["computed_at"], $0["suggestion"]) }
        }
        guard let stored else { return nil }
        return StillNeedleSuggestion(stillID: id, detector: stored.detector, computedAt: stored.computedAt,
                                     suggestion: try stored.document.map { try ArchiveCoding.decode(NeedleSuggestion.self, from: $0) })
    }

    public func stillsWithoutNeedleSuggestion(detector: String, storedSince since: Date?, limit: Int) async throws -> [UUID] {
        try await read("list stills without a needle suggestion") { db in
            // `since` keeps the daemon's regular look at new stills to the newest rows of
            // the index on created_at, however large the archive.
            try String.fetchAll(db, sql: """
                SELECT still.id FROM still LEFT JOIN needle_suggestion ON needle_suggestion.still_id = still.id
                WHERE still.created_at >= ? AND (needle_suggestion.detector IS NULL OR needle_suggestion.detector != ?)
                ORDER BY still.created_at LIMIT ?
                """, arguments: [since ?? Date.distantPast, detector, limit]).compactMap(UUID.init(uuidString:))
        }
    }

    public func stillIDs(prefix: String, limit: Int) async throws -> [UUID] {
        // Ids are stored in lower case; the prefix is kept to id characters, so LIKE's own
        // wildcards cannot come in with it.
        let clean = prefix.lowercased().filter { $0.isHexDigit || $0 == "-" }
        return try await read("find stills by id") { db in
            try String.fetchAll(db, sql: "SELECT id FROM still WHERE id LIKE ? ORDER BY id LIMIT ?", arguments: [clean + "%", limit])
                .compactMap(UUID.init(uuidString:))
        }
    }
}
