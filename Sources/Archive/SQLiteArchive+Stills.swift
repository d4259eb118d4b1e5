import Anatomy
import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Writes the PNG durably under its hash, then the still's row (and its site in the
    /// site catalogue) in one transaction. If the row cannot be written, a file this
    /// call created is removed again, so nothing half-stored remains.
    public func addStill(_ draft: StillDraft, png: Data) async throws -> Still {
        let sessionID = draft.sessionID.uuidString.lowercased()
        let owner = try await read("find the still's session") { db -> (patientID: String, startedAt: Date)? in
            try Row.fetchOne(db, sql: "SELECT patient_id, started_at FROM session WHERE id = ?", arguments: [sessionID])
                .map { (patientID: $0["patient_id"], startedAt: $0["started_at"]) }
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
                try Self.insert(still, patientID: patientID, takenAt: startedAt.addingTimeInterval(still.time),
                                injectates: Self.injectateMask(ofSession: still.sessionID, db), db)
            }
        } catch {
            if !existed { try? FileManager.default.removeItem(at: files.url(for: hash)) }
            throw error
        }
        return still
    }

    public func stills(ofSession session: UUID) async throws -> [Still] {
        try await read("list stills") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.stillColumns) FROM still WHERE session_id = ? ORDER BY time, id",
                             arguments: [session.uuidString.lowercased()]).map(Self.still(from:))
        }
    }

    public func still(_ id: UUID) async throws -> Still? {
        try await read("read still") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.stillColumns) FROM still WHERE id = ?", arguments: [id.uuidString.lowercased()]).map(Self.still(from:))
        }
    }

    public func png(of still: Still) throws -> Data {
        try files.read(still)
    }

    // MARK: - Rows

    /// The injectate bits of a stored session, for a still added to it later.
    static func injectateMask(ofSession id: UUID, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COALESCE(SUM(DISTINCT CASE injectate WHEN 'prolotherapy' THEN 1 WHEN 'prp' THEN 2 WHEN 'bmc' THEN 4 ELSE 8 END), 0)
            FROM injection WHERE session_id = ?
            """, arguments: [id.uuidString.lowercased()]) ?? 0
    }

    /// - Parameter injectates: the session's `injectateMask`.
    static func insert(_ still: Still, patientID: String, takenAt: Date, injectates: Int, _ db: Database) throws {
        let site = still.tag?.site
        // Prepared once per connection: imports and benchmarks insert many in a row.
        try db.cachedStatement(sql: """
            INSERT INTO still (id, session_id, patient_id, taken_at, time, source_frame, site, span_low, span_high, side,
                structure, reason, file_hash, byte_size, width, height, colour, annotated, created_at, injectates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """).execute(arguments: [still.id.uuidString.lowercased(), still.sessionID.uuidString.lowercased(), patientID, takenAt,
                             still.time, still.sourceFrame, site?.location.description, site?.spanLow, site?.spanHigh,
                             site?.laterality?.rawValue, still.tag?.structure?.rawValue, still.reason.rawValue,
                             still.fileHash.hexDigits, still.byteSize, still.width, still.height, still.colour.rawValue,
                             still.createdAt, injectates])
        if let site {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO still_site (site, side, span_low, span_high) VALUES (?, ?, ?, ?)")
                .execute(arguments: [site.location.description, site.laterality?.rawValue ?? "", site.spanLow, site.spanHigh])
        }
    }

    static func still(from row: Row) throws -> Still {
        var sites = SiteCache()
        return try still(from: row, sites: &sites)
    }

    /// The columns ``still(from:sites:)`` reads, in its order. It reads them by position:
    /// GRDB finds a column by name by lower-casing every column's name, which for a page
    /// of 50 search results cost as much as the search itself.
    static let stillColumns = "id, session_id, time, source_frame, site, side, structure, reason, file_hash, byte_size, width, height, colour, created_at"
    /// How many columns ``stillColumns`` names: a query may select more after them.
    static let stillColumnCount = 14

    /// A still from a row whose first columns are ``stillColumns``.
    static func still(from row: Row, sites: inout SiteCache) throws -> Still {
        guard let id = UUID(uuidString: row[0]), let session = UUID(uuidString: row[1]),
              let reason = Still.Reason(rawValue: row[7]), let colour = Still.Colour(rawValue: row[12]) else {
            throw ArchiveError(.storage, "still row \(row[0] as String) is malformed")
        }
        var tag: SiteTag?
        if let location: String = row[4] {
            tag = SiteTag(site: try sites.site(location: location, side: row[5]),
                          structure: (row[6] as String?).map { TargetStructure.ID(rawValue: $0) })
        }
        return try Still(id: id, sessionID: session, time: row[2], sourceFrame: row[3], tag: tag,
                         reason: reason, fileHash: ContentHash(hexDigits: row[8]), byteSize: row[9],
                         width: row[10], height: row[11], colour: colour, createdAt: row[13])
    }
}
