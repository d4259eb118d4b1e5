import Foundation
import GRDB
import Anatomy
import Records

extension SQLiteArchive {
    /// Ends a session that was recording, changing only what the recorder owns: its
    /// status, reason and end time, and the region its tags were in when the record names
    /// none yet (an editor's region is kept). The stored record is read inside the same write, so
    /// notes, pain scores or injections saved while it recorded are kept (writing back the
    /// recorder's own copy of the whole session lost them).
    ///
    /// - Returns: the session as stored. A session no longer recording is returned unchanged.
    /// - Throws: ``ArchiveError`` `.notFound` for an unknown session.
    @discardableResult
    public func endSession(_ id: UUID, as status: ProcedureSession.Status, reason: String?, at end: Date,
                           region: SpinalRegion?) async throws -> ProcedureSession {
        try await write("end session \(id.uuidString.lowercased())") { db in
            guard let document = try String.fetchOne(db, sql: "SELECT document FROM session WHERE id = ?", arguments: [id.uuidString.lowercased()]) else {
                throw ArchiveError(.notFound, "no session \(id.uuidString.lowercased()) to end")
            }
            var session = try ArchiveCoding.decode(ProcedureSession.self, from: document)
            guard session.status == .recording else { return session }
            try session.transition(to: status, reason: reason, at: max(end, session.startedAt))
            if session.region == nil { session.region = region }
            try Self.store(session, db)
            return session
        }
    }
}
