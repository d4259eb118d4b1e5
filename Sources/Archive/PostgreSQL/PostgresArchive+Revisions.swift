import Anatomy
import Foundation
import Records

/// Tags, scales, needle drawings and suggestions: the revisions physicians make to stills.
extension PostgresArchive {
    public func tagHistory(ofStill id: UUID) async throws -> [StillTagRevision] {
        guard let still = try await still(id) else { throw ArchiveError(.notFound, "no still \(id.key)") }
        return try await query("read the still's tag history") { db in
            let rows = try await db.rows("SELECT * FROM still_tag_revision WHERE still_id = ? ORDER BY revision", [id.key])
            guard !rows.isEmpty else {
                return [StillTagRevision(stillID: id, revision: 1, tag: still.tag, author: "capture", createdAt: still.createdAt, note: "")]
            }
            var sites = SQLiteArchive.SiteCache()
            return try rows.map { row in
                var tag: SiteTag?
                if let location = try row.get("site", as: String?.self) {
                    tag = SiteTag(site: try sites.site(location: location, side: row.get("side")),
                                  structure: try row.get("structure", as: String?.self).map { TargetStructure.ID(rawValue: $0) })
                }
                return StillTagRevision(stillID: id, revision: try row.get("revision", as: Int.self), tag: tag, author: try row.get("author"),
                                        createdAt: try row.get("created_at"), note: try row.get("note"))
            }
        }
    }

    @discardableResult
    public func retag(still id: UUID, to tag: SiteTag?, by author: String, note: String, basedOn: Int, at date: Date) async throws -> StillTagRevision {
        guard let still = try await still(id) else { throw ArchiveError(.notFound, "no still \(id.key)") }
        let stillID = id.key
        let date = date.archiveMilliseconds
        return try await write("retag the still") { db in
            var latest = try await db.value("SELECT MAX(revision) FROM still_tag_revision WHERE still_id = ?", [stillID], as: Int.self) ?? 0
            if latest == 0 {
                // The first correction keeps what capture said as revision 1.
                try await Self.insertTagRevision(stillID, 1, still.tag, author: "capture", at: still.createdAt, note: "", db)
                latest = 1
            }
            guard basedOn == latest else {
                throw ArchiveError(.conflict, "the tag of still \(stillID) was changed to revision \(latest) after you opened revision \(basedOn): reload and retag again")
            }
            let sessionKey = still.sessionID.key
            if let reason = try await Self.addendumReason(for: sessionKey, note, db) {
                let current = try await Self.tag(ofStill: stillID, db)
                try await Self.appendAddendum(sessionKey, by: author, reason: reason, changes: [
                    Addendum.Change(field: "tag", still: id, before: current?.description ?? "untagged", after: tag?.description ?? "untagged"),
                ], at: date, db)
            }
            try await Self.insertTagRevision(stillID, latest + 1, tag, author: author, at: date, note: note, db)
            let site = tag?.site
            try await db.execute("UPDATE still SET site = ?, span_low = ?, span_high = ?, side = ?, structure = ? WHERE id = ?",
                                 [site?.location.description, site?.spanLow, site?.spanHigh, site?.laterality?.rawValue,
                                  tag?.structure?.rawValue, stillID])
            if let site { try await Self.insertSite(site, db) }
            return StillTagRevision(stillID: id, revision: latest + 1, tag: tag, author: author, createdAt: date, note: note)
        }
    }

    static func tag(ofStill stillKey: String, _ db: PGSession) async throws -> SiteTag? {
        guard let row = try await db.row("SELECT site, side, structure FROM still WHERE id = ?", [stillKey]),
              let location = try row.get("site", as: String?.self) else { return nil }
        var sites = SQLiteArchive.SiteCache()
        return SiteTag(site: try sites.site(location: location, side: row.get("side")),
                       structure: try row.get("structure", as: String?.self).map { TargetStructure.ID(rawValue: $0) })
    }

    private static func insertTagRevision(_ stillID: String, _ revision: Int, _ tag: SiteTag?, author: String, at date: Date,
                                          note: String, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO still_tag_revision (still_id, revision, site, side, structure, author, created_at, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [stillID, revision, tag?.site.location.description, tag?.site.laterality?.rawValue,
                  tag?.structure?.rawValue, author, date, note])
    }

    // MARK: Scale

    public func scale(ofSession id: UUID) async throws -> Double? {
        try await query("read the session's scale") { db in try await Self.scale(of: id.key, db) }
    }

    public func setScale(ofSession id: UUID, millimetresPerPixel: Double, by author: String, reason: String?) async throws {
        try SQLiteArchive.checkScale(millimetresPerPixel)
        let key = id.key
        try await write("set the session's scale") { db in
            guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            if let reason = try await Self.addendumReason(for: key, reason, db) {
                let shown = { (scale: Double?) in scale.map { String(format: "%.4f mm/px", $0) } ?? "not set" }
                try await Self.appendAddendum(key, by: author, reason: reason, changes: [
                    Addendum.Change(field: "scale", before: shown(try await Self.scale(of: key, db)), after: shown(millimetresPerPixel)),
                ], at: Date().archiveMilliseconds, db)
            }
            try await Self.insertScale(millimetresPerPixel, sessionID: key, author: author, db)
        }
    }

    static func scale(of sessionKey: String, _ db: PGSession) async throws -> Double? {
        try await db.value("SELECT millimetres_per_pixel FROM session_scale WHERE session_id = ?", [sessionKey], as: Double.self)
    }

    static func insertScale(_ millimetresPerPixel: Double, sessionID: String, author: String, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO session_scale (session_id, millimetres_per_pixel, author, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET millimetres_per_pixel = excluded.millimetres_per_pixel,
                author = excluded.author, created_at = excluded.created_at
            """, [sessionID, millimetresPerPixel, author, Date()])
    }

    // MARK: Needle annotations

    public func annotationHistory(ofStill id: UUID) async throws -> NeedleAnnotationHistory {
        let documents = try await query("read the still's annotations") { db in
            try await db.rows("SELECT document FROM needle_annotation WHERE still_id = ? ORDER BY revision", [id.key])
                .map { try $0.get("document", as: String.self) }
        }
        return try NeedleAnnotationHistory(stillID: id, revisions: try documents.map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0) })
    }

    @discardableResult
    public func saveAnnotation(_ geometry: NeedleGeometry, onStill id: UUID, by author: String, note: String,
                               basedOn: Int?, suggestedBy: String?, at date: Date) async throws -> NeedleAnnotation {
        let stillID = id.key
        let date = date.archiveMilliseconds
        return try await write("save the needle annotation") { db in
            guard let sessionKey = try await db.value("SELECT session_id FROM still WHERE id = ?", [stillID], as: String.self) else {
                throw ArchiveError(.notFound, "no still \(stillID)")
            }
            let latest = try await db.row("SELECT revision, author, document FROM needle_annotation WHERE still_id = ? ORDER BY revision DESC LIMIT 1", [stillID])
            let latestRevision = try latest?.get("revision", as: Int.self)
            guard latestRevision == basedOn else {
                if let latestRevision {
                    let opened = basedOn.map { "revision \($0)" } ?? "the still with no needle drawn"
                    throw ArchiveError(.conflict, "\(try latest?.get("author", as: String.self) ?? "someone") saved revision \(latestRevision) after you opened \(opened): reload to see it, then save again (your drawing was not saved)")
                }
                throw ArchiveError(.invalid, "still \(stillID) has no revision \(basedOn ?? 0): the first drawing is saved without basedOn")
            }
            let annotation = try NeedleAnnotation(stillID: id, revision: (latestRevision ?? 0) + 1, geometry: geometry, author: author,
                                                  createdAt: date, note: note, basedOnRevision: basedOn, suggestedBy: suggestedBy)
            if let reason = try await Self.addendumReason(for: sessionKey, note, db) {
                let previous = try latest.map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0.get("document")) }
                try await Self.appendAddendum(sessionKey, by: author, reason: reason, changes: [
                    Addendum.Change(field: "needle", still: id, before: previous?.summary ?? "none drawn", after: annotation.summary),
                ], at: date, db)
            }
            try await db.execute("INSERT INTO needle_annotation (still_id, revision, author, created_at, document) VALUES (?, ?, ?, ?, ?)",
                                 [stillID, annotation.revision, author, date, try ArchiveCoding.encode(annotation)])
            try await db.execute("UPDATE still SET annotated = true WHERE id = ?", [stillID])
            return annotation
        }
    }

    // MARK: Needle suggestions

    public func saveNeedleSuggestion(_ suggestion: NeedleSuggestion?, forStill id: UUID, detector: String, at date: Date) async throws {
        let stillID = id.key
        let document = try suggestion.map { try ArchiveCoding.encode($0) }
        try await write("save the needle suggestion") { db in
            guard try await db.exists("SELECT 1 FROM still WHERE id = ?", [stillID]) else {
                throw ArchiveError(.notFound, "no still \(stillID)")
            }
            try await db.execute("""
                INSERT INTO needle_suggestion (still_id, detector, computed_at, suggestion) VALUES (?, ?, ?, ?)
                ON CONFLICT (still_id) DO UPDATE SET detector = excluded.detector, computed_at = excluded.computed_at,
                    suggestion = excluded.suggestion
                """, [stillID, detector, date, document])
        }
    }

    public func needleSuggestion(ofStill id: UUID) async throws -> StillNeedleSuggestion? {
        let stored = try await query("read the needle suggestion") { db -> (detector: String, computedAt: Date, document: String?)? in
            guard let row = try await db.row("SELECT detector, computed_at, suggestion FROM needle_suggestion WHERE still_id = ?", [id.key]) else {
                return nil
            }
            return (try row.get("detector"), try row.get("computed_at"), try row.get("suggestion"))
        }
        guard let stored else { return nil }
        return StillNeedleSuggestion(stillID: id, detector: stored.detector, computedAt: stored.computedAt,
                                     suggestion: try stored.document.map { try ArchiveCoding.decode(NeedleSuggestion.self, from: $0) })
    }

    public func stillsWithoutNeedleSuggestion(detector: String, storedSince since: Date?, limit: Int) async throws -> [UUID] {
        try await query("list stills without a needle suggestion") { db in
            try await db.rows("""
                SELECT still.id FROM still LEFT JOIN needle_suggestion ON needle_suggestion.still_id = still.id
                WHERE still.created_at >= ? AND (needle_suggestion.detector IS NULL OR needle_suggestion.detector <> ?)
                ORDER BY still.created_at LIMIT ?
                """, [since ?? Date(timeIntervalSince1970: -62_000_000_000), detector, limit]).compactMap { UUID(uuidString: try $0.get("id")) }
        }
    }
}
