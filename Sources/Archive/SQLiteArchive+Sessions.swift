import Anatomy
import Foundation
import GRDB
import Records

extension SQLiteArchive {
    public func add(_ session: ProcedureSession) async throws {
        try await write("add session for patient \(session.patientID)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patient WHERE id = ?", arguments: [session.patientID.value]) == true else {
                throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
            }
            if let continuation = session.continuation { try Self.checkContinuation(continuation, of: session, db) }
            try Self.insertSession(session, db)
        }
    }

    /// Writes the whole record as given, counting up its version. An editor's change is
    /// better made with ``editSession(_:expecting:by:_:)``, which cannot lose another's.
    public func update(_ session: ProcedureSession) async throws {
        try await write("update session \(session.id)") { db in
            if let signed = try Self.signer(of: session.id.uuidString.lowercased(), db) {
                throw ArchiveError(.conflict, "session \(session.id.uuidString.lowercased()) was signed by \(signed.by): its record changes only by addenda")
            }
            try Self.store(session, db)
            try db.execute(sql: "UPDATE session SET version = version + 1, changed_by = NULL, changed_at = ? WHERE id = ?",
                           arguments: [Date(), session.id.uuidString.lowercased()])
        }
    }

    /// Writes every column of an existing session and its dependents, inside a write.
    static func store(_ session: ProcedureSession, _ db: Database) throws {
            var arguments = try Self.sessionColumns(session)
            _ = arguments.append(contentsOf: [session.id.uuidString.lowercased()])
            try db.execute(sql: """
                UPDATE session SET id = ?, patient_id = ?, started_at = ?, ended_at = ?, physician = ?, tech = ?, region = ?,
                    indication = ?, status = ?, status_reason = ?, treatment_number = ?, planned_treatments = ?,
                    days_since_previous = ?, pain_before = ?, pain_after = ?, notes = ?, recording = ?, document = ?
                WHERE id = ?
                """, arguments: arguments)
            guard db.changesCount == 1 else {
                throw ArchiveError(.notFound, "no session \(session.id.uuidString.lowercased()) to update")
            }
            try db.execute(sql: "DELETE FROM injection WHERE session_id = ?", arguments: [session.id.uuidString.lowercased()])
            try db.execute(sql: "DELETE FROM session_text WHERE session_id = ?", arguments: [session.id.uuidString.lowercased()])
            try Self.writeDependents(of: session, db)
            try db.execute(sql: "UPDATE still SET injectates = ? WHERE session_id = ?",
                           arguments: [Self.injectateMask(session), session.id.uuidString.lowercased()])
    }

    public func session(_ id: UUID) async throws -> ProcedureSession? {
        try await read("read session") { db in
            try String.fetchOne(db, sql: "SELECT document FROM session WHERE id = ?", arguments: [id.uuidString.lowercased()])
                .map { try ArchiveCoding.decode(ProcedureSession.self, from: $0) }
        }
    }

    public func sessions(_ filter: SessionFilter) async throws -> [SessionSummary] {
        try await read("list sessions") { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let patient = filter.patient {
                conditions.append("patient_id = ?")
                _ = arguments.append(contentsOf: [patient.value])
            }
            if let status = filter.status {
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            if let from = filter.from {
                conditions.append("started_at >= ?")
                _ = arguments.append(contentsOf: [from])
            }
            if let to = filter.to {
                conditions.append("started_at < ?")
                _ = arguments.append(contentsOf: [to])
            }
            if let tech = filter.recordedBy {
                conditions.append("tech = ?")
                _ = arguments.append(contentsOf: [tech])
            }
            if let physician = filter.toSignBy {
                conditions.append("physician = ? AND status <> 'recording' AND signed_at IS NULL")
                _ = arguments.append(contentsOf: [physician])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [filter.limit])
            let rows = try Row.fetchAll(db, sql: """
                SELECT document, (SELECT count(*) FROM still WHERE still.session_id = session.id) AS stills, signed_at
                FROM session LEFT JOIN session_signature ON session_signature.session_id = session.id
                \(whereClause) ORDER BY started_at DESC LIMIT ?
                """, arguments: arguments)
            return try rows.map { row in
                SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row["document"]), stillCount: row["stills"],
                               signedAt: row["signed_at"])
            }
        }
    }

    /// Sessions still marked `recording`: after a crash, these were interrupted.
    public func sessionsStillRecording() async throws -> [ProcedureSession] {
        try await sessions(SessionFilter(status: .recording, limit: 1000)).map(\.session)
    }

    public func add(_ tags: [TagEvent], toSession session: UUID) async throws {
        try await write("add tags") { db in
            let id = session.uuidString.lowercased()
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [id]) == true else {
                throw ArchiveError(.notFound, "no session \(id): start or import a session first")
            }
            for tag in tags { try Self.insert(tag, sessionID: id, db) }
        }
    }

    public func tags(ofSession session: UUID) async throws -> [TagEvent] {
        try await read("read tags") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tag_event WHERE session_id = ? ORDER BY time, id",
                             arguments: [session.uuidString.lowercased()]).map { row in
                guard let source = TagEvent.Source(rawValue: row["source"]) else {
                    throw ArchiveError(.storage, "tag \(row["id"] as Int64) has an unknown source")
                }
                return try TagEvent(time: row["time"], site: Self.site(location: row["site"], side: row["side"]),
                                    structure: (row["structure"] as String?).map { TargetStructure.ID(rawValue: $0) },
                                    author: row["author"], source: source)
            }
        }
    }

    // MARK: - Rows

    /// The session's row, its injection rows and its full-text row.
    static func insertSession(_ session: ProcedureSession, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO session (id, patient_id, started_at, ended_at, physician, tech, region, indication, status,
                status_reason, treatment_number, planned_treatments, days_since_previous, pain_before, pain_after,
                notes, recording, document, continues)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: try sessionColumns(session) + [session.continuation?.previous.uuidString.lowercased()])
        try writeDependents(of: session, db)
    }

    static func insert(_ tag: TagEvent, sessionID: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO tag_event (session_id, time, site, span_low, span_high, side, structure, author, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [sessionID, tag.time, tag.site.location.description, tag.site.spanLow, tag.site.spanHigh,
                                          tag.site.laterality?.rawValue, tag.structure?.rawValue, tag.author, tag.source.rawValue])
    }

    static func sessionColumns(_ session: ProcedureSession) throws -> StatementArguments {
        [session.id.uuidString.lowercased(), session.patientID.value, session.startedAt, session.endedAt,
         session.physician, session.tech, session.region?.rawValue, session.indication, session.status.rawValue,
         session.statusReason, session.treatment.number, session.treatment.planned, session.treatment.daysSincePrevious,
         session.painScores.before, session.painScores.after, session.notes, session.recording?.value,
         try ArchiveCoding.encode(session)]
    }

    /// The bits of `still.injectates` for the kinds given in a session.
    static func injectateMask(_ session: ProcedureSession) -> Int {
        session.injectateKinds.reduce(0) { $0 | injectateBit($1) }
    }

    static func injectateBit(_ kind: Injectate.Kind) -> Int {
        switch kind {
        case .prolotherapy: 1
        case .prp: 2
        case .bmc: 4
        case .other: 8
        }
    }

    /// The injection rows and the full-text row that mirror a session's document.
    static func writeDependents(of session: ProcedureSession, _ db: Database) throws {
        let id = session.id.uuidString.lowercased()
        for (ordinal, injection) in session.injections.enumerated() {
            try db.execute(sql: """
                INSERT INTO injection (session_id, ordinal, site, span_low, span_high, side, structure, injectate, volume_ml)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, ordinal, injection.site.location.description, injection.site.spanLow, injection.site.spanHigh,
                                 injection.site.laterality?.rawValue, injection.structure?.rawValue,
                                 injection.injectate.kind.rawValue, injection.volumeMillilitres])
        }
        try db.execute(sql: "INSERT INTO session_text (session_id, indication, notes, complications) VALUES (?, ?, ?, ?)",
                       arguments: [id, session.indication, session.notes, session.complications.joined(separator: "\n")])
    }

    /// A site from its stored location text and side.
    static func site(location: String, side: String?) throws -> AnatomicSite {
        let place = try AnatomicSite(parsing: location, options: .allowingTransitionalLevels)
        guard let side, !side.isEmpty else { return place }
        guard let laterality = Laterality(rawValue: side) else {
            throw ArchiveError(.storage, "unknown side \"\(side)\" stored for \(location)")
        }
        return AnatomicSite(place.location, laterality: laterality)
    }
}
