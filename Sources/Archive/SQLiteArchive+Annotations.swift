import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Every needle drawn on a still, oldest first.
    public func annotationHistory(ofStill id: UUID) async throws -> NeedleAnnotationHistory {
        let rows = try await read("read the still's annotations") { db in
            try String.fetchAll(db, sql: "SELECT document FROM needle_annotation WHERE still_id = ? ORDER BY revision",
                                arguments: [id.uuidString.lowercased()])
        }
        let revisions = try rows.map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0) }
        return try NeedleAnnotationHistory(stillID: id, revisions: revisions)
    }

    /// Stores a drawing as the still's next revision.
    ///
    /// - Parameter basedOn: the revision the author had open (`nil` when none was drawn).
    ///   When someone saved in between, nothing is written and the error says who, so the
    ///   second author can reload and redo the change on top of theirs.
    /// - Throws: ``ArchiveError`` `.notFound` for an unknown still, `.conflict` when
    ///   `basedOn` is not the latest revision.
    @discardableResult
    public func saveAnnotation(_ geometry: NeedleGeometry, onStill id: UUID, by author: String, note: String = "",
                               basedOn: Int?, suggestedBy: String? = nil, at date: Date = Date()) async throws -> NeedleAnnotation {
        let stillID = id.uuidString.lowercased()
        return try await write("save the needle annotation") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM still WHERE id = ?", arguments: [stillID]) == true else {
                throw ArchiveError(.notFound, "no still \(stillID)")
            }
            let latest = try Row.fetchOne(db, sql: """
                SELECT revision, author FROM needle_annotation WHERE still_id = ? ORDER BY revision DESC LIMIT 1
                """, arguments: [stillID])
            let latestRevision: Int? = latest?["revision"]
            guard latestRevision == basedOn else {
                if let latestRevision {
                    let opened = basedOn.map { "revision \($0)" } ?? "the still with no needle drawn"
                    throw ArchiveError(.conflict, "\(latest?["author"] as String? ?? "someone") saved revision \(latestRevision) after you opened \(opened): reload to see it, then save again (your drawing was not saved)")
                }
                throw ArchiveError(.invalid, "still \(stillID) has no revision \(basedOn ?? 0): the first drawing is saved without basedOn")
            }
            let annotation = try NeedleAnnotation(stillID: id, revision: (latestRevision ?? 0) + 1, geometry: geometry, author: author,
                                                  createdAt: date, note: note, basedOnRevision: basedOn, suggestedBy: suggestedBy)
            if let sessionKey = try Self.sessionKey(ofStill: stillID, db), let reason = try Self.addendumReason(for: sessionKey, note, db) {
                let previous = try String.fetchOne(db, sql: "SELECT document FROM needle_annotation WHERE still_id = ? ORDER BY revision DESC LIMIT 1",
                                                   arguments: [stillID]).map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0) }
                try Self.appendAddendum(sessionKey, by: author, reason: reason, changes: [
                    Addendum.Change(field: "needle", still: id, before: previous?.summary ?? "none drawn", after: annotation.summary),
                ], at: date, db)
            }
            try db.execute(sql: """
                INSERT INTO needle_annotation (still_id, revision, author, created_at, document) VALUES (?, ?, ?, ?, ?)
                """, arguments: [stillID, annotation.revision, author, date, try ArchiveCoding.encode(annotation)])
            try db.execute(sql: "UPDATE still SET annotated = 1 WHERE id = ?", arguments: [stillID])
            return annotation
        }
    }
}

extension SQLiteArchive {
    /// The stills of a session that have a needle drawn.
    public func annotatedStills(ofSession id: UUID) async throws -> Set<UUID> {
        try await read("list annotated stills") { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM still WHERE session_id = ? AND annotated = 1",
                                    arguments: [id.uuidString.lowercased()]).compactMap(UUID.init(uuidString:)))
        }
    }
}
