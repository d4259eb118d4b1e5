import Anatomy
import Foundation
import Records

extension PostgresArchive {
    /// Writes the PNG durably under its hash, then the still's row in one transaction; a
    /// file this call created is removed again when the row cannot be written.
    public func addStill(_ draft: StillDraft, png: Data) async throws -> Still {
        let sessionID = draft.sessionID.key
        let owner = try await query("find the still's session") { db -> (patientID: String, startedAt: Date)? in
            guard let row = try await db.row("SELECT patient_id, started_at FROM session WHERE id = ?", [sessionID]) else { return nil }
            return (try row.get("patient_id"), try row.get("started_at"))
        }
        guard let (patientID, startedAt) = owner else {
            throw ArchiveError(.notFound, "no session \(sessionID): a still needs the session it was taken in")
        }
        let hash = StillFileStore.hash(png)
        let still = try Still(id: draft.id, sessionID: draft.sessionID, time: draft.time, sourceFrame: draft.sourceFrame,
                              tag: draft.tag, reason: draft.reason, fileHash: hash, byteSize: png.count,
                              width: draft.width, height: draft.height, colour: draft.colour, createdAt: draft.createdAt)
        let existed = FileManager.default.fileExists(atPath: files.url(for: hash).path)
        try files.store(png)
        do {
            try await write("add still") { db in
                let mask = try await Self.injectateMask(ofSession: sessionID, db)
                try await Self.insert(still, patientID: patientID, takenAt: startedAt.addingTimeInterval(still.time), injectates: mask, db)
            }
        } catch {
            if !existed { try? FileManager.default.removeItem(at: files.url(for: hash)) }
            throw error
        }
        return still
    }

    public func stills(ofSession session: UUID) async throws -> [Still] {
        try await query("list stills") { db in
            var sites = SQLiteArchive.SiteCache()
            return try await db.rows("SELECT \(SQLiteArchive.stillColumns) FROM still WHERE session_id = ? ORDER BY time, id", [session.key])
                .map { try Self.still(from: $0, sites: &sites) }
        }
    }

    public func still(_ id: UUID) async throws -> Still? {
        try await query("read still") { db in
            var sites = SQLiteArchive.SiteCache()
            return try await db.row("SELECT \(SQLiteArchive.stillColumns) FROM still WHERE id = ?", [id.key])
                .map { try Self.still(from: $0, sites: &sites) }
        }
    }

    public func png(of still: Still) throws -> Data {
        try files.read(still)
    }

    public func annotatedStills(ofSession id: UUID) async throws -> Set<UUID> {
        try await query("list annotated stills") { db in
            Set(try await db.rows("SELECT id FROM still WHERE session_id = ? AND annotated", [id.key])
                .compactMap { UUID(uuidString: try $0.get("id")) })
        }
    }

    public func stillIDs(prefix: String, limit: Int) async throws -> [UUID] {
        // Kept to id characters, so LIKE's own wildcards cannot come in with the prefix.
        let clean = prefix.lowercased().filter { $0.isHexDigit || $0 == "-" }
        return try await query("find stills by id") { db in
            try await db.rows("SELECT id FROM still WHERE id LIKE ? ORDER BY id LIMIT ?", [clean + "%", limit])
                .compactMap { UUID(uuidString: try $0.get("id")) }
        }
    }

    // MARK: Rows

    static func injectateMask(ofSession key: String, _ db: PGSession) async throws -> Int {
        try await db.value("""
            SELECT COALESCE(SUM(DISTINCT CASE injectate WHEN 'prolotherapy' THEN 1 WHEN 'prp' THEN 2 WHEN 'bmc' THEN 4 ELSE 8 END), 0)
            FROM injection WHERE session_id = ?
            """, [key], as: Int.self) ?? 0
    }

    static func insert(_ still: Still, patientID: String, takenAt: Date, injectates: Int, _ db: PGSession) async throws {
        let site = still.tag?.site
        try await db.execute("""
            INSERT INTO still (id, session_id, patient_id, taken_at, time, source_frame, site, span_low, span_high, side,
                structure, reason, file_hash, byte_size, width, height, colour, annotated, created_at, injectates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?)
            """, [still.id.key, still.sessionID.key, patientID, takenAt, still.time, still.sourceFrame,
                  site?.location.description, site?.spanLow, site?.spanHigh, site?.laterality?.rawValue,
                  still.tag?.structure?.rawValue, still.reason.rawValue, still.fileHash.hexDigits, still.byteSize,
                  still.width, still.height, still.colour.rawValue, still.createdAt, injectates])
        if let site { try await insertSite(site, db) }
    }

    /// Adds a site to the catalogue search ranks, once.
    static func insertSite(_ site: AnatomicSite, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO still_site (site, side, span_low, span_high) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, [site.location.description, site.laterality?.rawValue ?? "", site.spanLow, site.spanHigh])
    }

    /// A still from a row whose first columns are ``SQLiteArchive/stillColumns``.
    static func still(from row: PGRow, sites: inout SQLiteArchive.SiteCache) throws -> Still {
        let idText: String = try row.get(0), sessionText: String = try row.get(1)
        let reasonText: String = try row.get(7), colourText: String = try row.get(12)
        guard let id = UUID(uuidString: idText), let session = UUID(uuidString: sessionText),
              let reason = Still.Reason(rawValue: reasonText), let colour = Still.Colour(rawValue: colourText) else {
            throw ArchiveError(.storage, "still row \(idText) is malformed")
        }
        var tag: SiteTag?
        if let location = try row.get(4, as: String?.self) {
            tag = SiteTag(site: try sites.site(location: location, side: row.get(5)),
                          structure: try row.get(6, as: String?.self).map { TargetStructure.ID(rawValue: $0) })
        }
        return try Still(id: id, sessionID: session, time: row.get(2), sourceFrame: row.get(3, as: Int?.self), tag: tag,
                         reason: reason, fileHash: ContentHash(hexDigits: row.get(8)), byteSize: row.get(9, as: Int.self),
                         width: row.get(10, as: Int.self), height: row.get(11, as: Int.self), colour: colour, createdAt: row.get(13))
    }
}
