import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Every part of the procedure a session belongs to, first part first: the session
    /// itself when it was never cut short and continued.
    public func procedureParts(of id: UUID) async throws -> [SessionSummary] {
        try await read("read the parts of a procedure") { db in
            // Up the `continues` links to the first part, then down them to the last.
            let rows = try Row.fetchAll(db, sql: """
                WITH RECURSIVE first(id, continues) AS (
                    SELECT id, continues FROM session WHERE id = ?
                    UNION ALL
                    SELECT session.id, session.continues FROM session JOIN first ON session.id = first.continues
                ),
                part(id) AS (
                    SELECT id FROM first WHERE continues IS NULL
                    UNION ALL
                    SELECT session.id FROM session JOIN part ON session.continues = part.id
                )
                SELECT document, (SELECT count(*) FROM still WHERE still.session_id = session.id) AS stills
                FROM session JOIN part USING (id) ORDER BY started_at
                """, arguments: [id.uuidString.lowercased()])
            return try rows.map { row in
                SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row["document"]), stillCount: row["stills"])
            }
        }
    }

    /// The session started most recently, when it was cut short, started after `since`,
    /// and has not been continued: the procedure the tech may want to take up again.
    public func continuableSession(startedAfter since: Date) async throws -> SessionSummary? {
        try await read("find the session to continue") { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT document, status, started_at, (SELECT count(*) FROM still WHERE still.session_id = session.id) AS stills,
                    EXISTS (SELECT 1 FROM session AS next WHERE next.continues = session.id) AS continued
                FROM session ORDER BY started_at DESC LIMIT 1
                """) else { return nil }
            guard ["interrupted", "failed"].contains(row["status"] as String), !(row["continued"] as Bool),
                  (row["started_at"] as Date) > since else { return nil }
            return SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row["document"]), stillCount: row["stills"])
        }
    }

    /// Refuses a continuation that would not make one line of parts of one procedure.
    static func checkContinuation(_ continuation: ProcedureSession.Continuation, of session: ProcedureSession, _ db: Database) throws {
        let previousID = continuation.previous.uuidString.lowercased()
        guard let document = try String.fetchOne(db, sql: "SELECT document FROM session WHERE id = ?", arguments: [previousID]) else {
            throw ArchiveError(.notFound, "no session \(previousID) to continue: name a session that was interrupted or failed")
        }
        let previous = try ArchiveCoding.decode(ProcedureSession.self, from: document)
        guard previous.canBeContinued else {
            throw ArchiveError(.conflict, "session \(previousID.prefix(8)): \(RecordError.notContinuable(previous.status))")
        }
        guard previous.patientID == session.patientID else {
            throw ArchiveError(.invalid, "session \(previousID.prefix(8)) is patient \(previous.patientID)'s, not \(session.patientID)'s: a part continues its own patient's procedure")
        }
        guard continuation.part == previous.part + 1 else {
            throw ArchiveError(.invalid, "session \(previousID.prefix(8)) is part \(previous.part): the part after it is \(previous.part + 1), not \(continuation.part)")
        }
        if let next = try String.fetchOne(db, sql: "SELECT id FROM session WHERE continues = ?", arguments: [previousID]) {
            throw ArchiveError(.conflict, "session \(previousID.prefix(8)) was continued already, as session \(next.prefix(8)) (part \(continuation.part)): continue that one if it was cut short too")
        }
    }
}
