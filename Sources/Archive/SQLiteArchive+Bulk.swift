import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Index rows without their files, many per transaction: for the search benchmark
    /// (`tools/bench-archive`), which needs a million stills in minutes. An archive
    /// filled this way fails `verify` (its still files do not exist) by design.
    @_spi(Benchmark)
    public func insertIndexRows(patients: [Patient], sessions: [ProcedureSession], stills: [Still]) async throws {
        try await write("bulk insert") { db in
            for patient in patients { try Self.insert(patient, db) }
            var started: [UUID: (String, Date, Int)] = [:]
            for session in sessions {
                try Self.insertSession(session, db)
                started[session.id] = (session.patientID.value, session.startedAt, Self.injectateMask(session))
            }
            for still in stills {
                let owner = try started[still.sessionID] ?? {
                    guard let row = try Row.fetchOne(db, sql: "SELECT patient_id, started_at FROM session WHERE id = ?",
                                                     arguments: [still.sessionID.uuidString.lowercased()]) else {
                        throw ArchiveError(.notFound, "no session for still \(still.id)")
                    }
                    return (row["patient_id"], row["started_at"], try Self.injectateMask(ofSession: still.sessionID, db))
                }()
                try Self.insert(still, patientID: owner.0, takenAt: owner.1.addingTimeInterval(still.time), injectates: owner.2, db)
            }
        }
    }

    /// Refreshes SQLite's statistics so the planner picks the right index.
    @_spi(Benchmark)
    public func analyze() async throws {
        try await write("analyze") { db in try db.execute(sql: "ANALYZE") }
    }

    /// SQLite's plan for a search's statements, for checking which indexes a query uses.
    @_spi(Benchmark)
    public func explain(_ sql: String, _ arguments: [String]) async throws -> [String] {
        try await read("explain") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments)).map { $0["detail"] }
        }
    }
}
