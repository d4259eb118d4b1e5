import Anatomy
import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Every tag the still has had, oldest first; one revision (capture's) when never corrected.
    public func tagHistory(ofStill id: UUID) async throws -> [StillTagRevision] {
        guard let still = try await still(id) else { throw ArchiveError(.notFound, "no still \(id.uuidString.lowercased())") }
        return try await read("read the still's tag history") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM still_tag_revision WHERE still_id = ? ORDER BY revision",
                                        arguments: [id.uuidString.lowercased()])
            guard !rows.isEmpty else {
                return [StillTagRevision(stillID: id, revision: 1, tag: still.tag, author: "capture", createdAt: still.createdAt, note: "")]
            }
            var sites = SiteCache()
            return try rows.map { row in
                var tag: SiteTag?
                if let location: String = row["site"] {
                    tag = SiteTag(site: try sites.site(location: location, side: row["side"]),
                                  structure: (row["structure"] as String?).map { TargetStructure.ID(rawValue: $0) })
                }
                return StillTagRevision(stillID: id, revision: row["revision"], tag: tag, author: row["author"],
                                        createdAt: row["created_at"], note: row["note"])
            }
        }
    }

    /// Corrects a still's tag: the old tag stays in the history, the new one becomes the
    /// still's searchable tag.
    /// - Parameter basedOn: the tag revision the author saw; a later one means someone
    ///   retagged in between, and nothing is written.
    @discardableResult
    public func retag(still id: UUID, to tag: SiteTag?, by author: String, note: String = "", basedOn: Int,
                      at date: Date = Date()) async throws -> StillTagRevision {
        guard let still = try await still(id) else { throw ArchiveError(.notFound, "no still \(id.uuidString.lowercased())") }
        let stillID = id.uuidString.lowercased()
        return try await write("retag the still") { db in
            var latest = try Int.fetchOne(db, sql: "SELECT MAX(revision) FROM still_tag_revision WHERE still_id = ?",
                                          arguments: [stillID]) ?? 0
            if latest == 0 {
                // The first correction keeps what capture said as revision 1.
                try Self.insertTagRevision(stillID, 1, still.tag, author: "capture", at: still.createdAt, note: "", db)
                latest = 1
            }
            guard basedOn == latest else {
                throw ArchiveError(.conflict, "the tag of still \(stillID) was changed to revision \(latest) after you opened revision \(basedOn): reload and retag again")
            }
            let sessionKey = still.sessionID.uuidString.lowercased()
            if let reason = try Self.addendumReason(for: sessionKey, note, db) {
                let current = try Self.tag(ofStill: stillID, db)
                try Self.appendAddendum(sessionKey, by: author, reason: reason, changes: [
                    Addendum.Change(field: "tag", still: id, before: current?.description ?? "untagged", after: tag?.description ?? "untagged"),
                ], at: date, db)
            }
            try Self.insertTagRevision(stillID, latest + 1, tag, author: author, at: date, note: note, db)
            let site = tag?.site
            try db.execute(sql: """
                UPDATE still SET site = ?, span_low = ?, span_high = ?, side = ?, structure = ? WHERE id = ?
                """, arguments: [site?.location.description, site?.spanLow, site?.spanHigh, site?.laterality?.rawValue,
                                 tag?.structure?.rawValue, stillID])
            if let site {
                try db.execute(sql: "INSERT OR IGNORE INTO still_site (site, side, span_low, span_high) VALUES (?, ?, ?, ?)",
                               arguments: [site.location.description, site.laterality?.rawValue ?? "", site.spanLow, site.spanHigh])
            }
            return StillTagRevision(stillID: id, revision: latest + 1, tag: tag, author: author, createdAt: date, note: note)
        }
    }

    /// The still's tag as search reads it now.
    static func tag(ofStill stillKey: String, _ db: Database) throws -> SiteTag? {
        guard let row = try Row.fetchOne(db, sql: "SELECT site, side, structure FROM still WHERE id = ?", arguments: [stillKey]),
              let location: String = row["site"] else { return nil }
        var sites = SiteCache()
        return SiteTag(site: try sites.site(location: location, side: row["side"]),
                       structure: (row["structure"] as String?).map { TargetStructure.ID(rawValue: $0) })
    }

    private static func insertTagRevision(_ stillID: String, _ revision: Int, _ tag: SiteTag?, author: String, at date: Date,
                                          note: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO still_tag_revision (still_id, revision, site, side, structure, author, created_at, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [stillID, revision, tag?.site.location.description, tag?.site.laterality?.rawValue,
                             tag?.structure?.rawValue, author, date, note])
    }

    /// The millimetres per pixel of a session's images, when set.
    public func scale(ofSession id: UUID) async throws -> Double? {
        try await read("read the session's scale") { db in
            try Double.fetchOne(db, sql: "SELECT millimetres_per_pixel FROM session_scale WHERE session_id = ?",
                                arguments: [id.uuidString.lowercased()])
        }
    }

    /// Sets (or replaces) a session's image scale; on a signed record, with an addendum
    /// giving `reason` (every needle's millimetres change with it).
    public func setScale(ofSession id: UUID, millimetresPerPixel: Double, by author: String, reason: String?) async throws {
        try Self.checkScale(millimetresPerPixel)
        let key = id.uuidString.lowercased()
        try await write("set the session's scale") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [key]) == true else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            if let reason = try Self.addendumReason(for: key, reason, db) {
                let shown = { (scale: Double?) in scale.map { String(format: "%.4f mm/px", $0) } ?? "not set" }
                try Self.appendAddendum(key, by: author, reason: reason, changes: [
                    Addendum.Change(field: "scale", before: shown(try Self.scale(of: key, db)), after: shown(millimetresPerPixel)),
                ], at: Date(), db)
            }
            try Self.insertScale(millimetresPerPixel, sessionID: key, author: author, db)
        }
    }

    static func checkScale(_ millimetresPerPixel: Double) throws {
        guard millimetresPerPixel > 0, millimetresPerPixel <= 10, millimetresPerPixel.isFinite else {
            throw ArchiveError(.invalid, "a scale of \(millimetresPerPixel) mm per pixel is impossible: ultrasound images are 0.01-10 mm per pixel")
        }
    }

    static func insertScale(_ millimetresPerPixel: Double, sessionID: String, author: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO session_scale (session_id, millimetres_per_pixel, author, created_at) VALUES (?, ?, ?, ?)
            """, arguments: [sessionID, millimetresPerPixel, author, Date()])
    }
}
