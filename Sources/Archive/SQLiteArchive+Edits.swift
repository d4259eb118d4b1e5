import Foundation
import GRDB
import Records

/// Which version of a session's record an editor has, and who made it.
public struct SessionRevision: Codable, Sendable, Equatable {
    /// 1 when created; one more with each change to the record.
    public var version: Int
    /// Who made the last change (nil: the recorder, an import or the command line).
    public var changedBy: String?
    public var changedAt: Date?
}

extension SQLiteArchive {
    /// The version of a session's record, and who changed it last; nil for no such session.
    public func sessionRevision(_ id: UUID) async throws -> SessionRevision? {
        try await read("read the session's version") { db in
            try Row.fetchOne(db, sql: "SELECT version, changed_by, changed_at FROM session WHERE id = ?",
                             arguments: [id.uuidString.lowercased()])
                .map { SessionRevision(version: $0["version"], changedBy: $0["changed_by"], changedAt: $0["changed_at"]) }
        }
    }

    /// Changes a session's record in one write: the stored record is read, `change`d and
    /// stored under the next version. Edits sent at once each see the one before, so none
    /// is lost (two injections recorded together are both kept).
    ///
    /// - Parameter expecting: the version the editor's copy was read at. When the stored
    ///   record has moved on, the change is refused (`.conflict`, naming who changed it and
    ///   when): the editor would otherwise write back what they never saw. Nil for a change
    ///   that merges into whatever is stored (appending an injection).
    /// - Parameter reason: why a signed record changes. Once signed, the change is stored
    ///   with an addendum (what changed, from what to what) in the same write; without a
    ///   reason it is refused. A change that changes nothing writes nothing.
    /// - Throws: `ArchiveError` `.notFound`, `.conflict`, `.invalid` (signed, no reason);
    ///   whatever `change` throws.
    @discardableResult
    public func editSession(_ id: UUID, expecting: Int?, by editor: String, reason: String?,
                            _ change: @escaping @Sendable (inout ProcedureSession) throws -> Void) async throws -> (ProcedureSession, SessionRevision) {
        let key = id.uuidString.lowercased()
        return try await write("change session \(key.prefix(8))") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, version, changed_by, changed_at FROM session WHERE id = ?", arguments: [key]) else {
                throw ArchiveError(.notFound, "no session \(key): it may have been removed")
            }
            let stored: Int = row["version"]
            if let expecting, expecting != stored {
                let who = (row["changed_by"] as String?) ?? "the recorder or the command line"
                let when = (row["changed_at"] as Date?).map { " at \(ISO8601DateFormatter().string(from: $0))" } ?? ""
                throw ArchiveError(.conflict, "the session's record was changed by \(who)\(when) after you opened it (version \(stored), yours is \(expecting)): reload to see that change, then make yours again")
            }
            let amendment = try Self.addendumReason(for: key, reason, db)
            let before = try ArchiveCoding.decode(ProcedureSession.self, from: row["document"] as String)
            var session = before
            try change(&session)
            let date = Date()
            if let amendment {
                let changes = before.recordChanges(to: session)
                guard !changes.isEmpty else {
                    return (before, SessionRevision(version: stored, changedBy: row["changed_by"], changedAt: row["changed_at"]))
                }
                try Self.appendAddendum(key, by: editor, reason: amendment, changes: changes, at: date, db)
            }
            try Self.store(session, db)
            let revision = SessionRevision(version: stored + 1, changedBy: editor, changedAt: date)
            try db.execute(sql: "UPDATE session SET version = ?, changed_by = ?, changed_at = ? WHERE id = ?",
                           arguments: [revision.version, editor, revision.changedAt, key])
            return (session, revision)
        }
    }
}
