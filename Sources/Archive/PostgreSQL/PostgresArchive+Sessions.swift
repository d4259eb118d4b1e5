import Anatomy
import Foundation
import Records

extension PostgresArchive {
    // MARK: Patients

    public func add(_ patient: Patient) async throws {
        try await write("add patient \(patient.id)") { db in
            if try await db.exists("SELECT 1 FROM patient WHERE id = ?", [patient.id.value]) {
                throw ArchiveError(.conflict, "patient \(patient.id) already exists: choose another id, or leave the existing record as it is")
            }
            try await Self.insert(patient, db)
        }
    }

    static func insert(_ patient: Patient, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO patient (id, family_name, given_name, birth_date, sex, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [patient.id.value, patient.familyName, patient.givenName, patient.birthDate.description, patient.sex.rawValue, Date()])
    }

    public func patient(_ id: PatientID) async throws -> Patient? {
        try await query("read patient \(id)") { db in
            try await db.row("SELECT * FROM patient WHERE id = ?", [id.value]).map(Self.patient(from:))
        }
    }

    public func patients() async throws -> [Patient] {
        try await query("list patients") { db in
            try await db.rows("SELECT * FROM patient ORDER BY family_name COLLATE \"C\", given_name COLLATE \"C\", id").map(Self.patient(from:))
        }
    }

    static func patient(from row: PGRow) throws -> Patient {
        let id: String = try row.get("id"), sexText: String = try row.get("sex")
        guard let sex = Sex(rawValue: sexText) else {
            throw ArchiveError(.storage, "patient \(id) has an unknown sex \(sexText)")
        }
        return try Patient(id: PatientID(id), familyName: row.get("family_name"), givenName: row.get("given_name"),
                           birthDate: CalendarDate(parsing: row.get("birth_date")), sex: sex)
    }

    // MARK: Sessions

    public func add(_ session: ProcedureSession) async throws {
        try await write("add session for patient \(session.patientID)") { db in
            guard try await db.exists("SELECT 1 FROM patient WHERE id = ?", [session.patientID.value]) else {
                throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
            }
            if let continuation = session.continuation { try await Self.checkContinuation(continuation, of: session, db) }
            try await Self.insertSession(session, db)
        }
    }

    public func update(_ session: ProcedureSession) async throws {
        let key = session.id.key
        try await write("update session \(key)") { db in
            if let signed = try await Self.signer(of: key, db) {
                throw ArchiveError(.conflict, "session \(key) was signed by \(signed.by): its record changes only by addenda")
            }
            try await Self.store(session, db)
            try await db.execute("UPDATE session SET version = version + 1, changed_by = NULL, changed_at = ? WHERE id = ?", [Date(), key])
        }
    }

    /// Writes every column of an existing session and its dependents, inside a write.
    static func store(_ session: ProcedureSession, _ db: PGSession) async throws {
        let key = session.id.key
        let updated = try await db.rows("""
            UPDATE session SET id = ?, patient_id = ?, started_at = ?, ended_at = ?, physician = ?, tech = ?, region = ?,
                indication = ?, status = ?, status_reason = ?, treatment_number = ?, planned_treatments = ?,
                days_since_previous = ?, pain_before = ?, pain_after = ?, notes = ?, recording = ?, document = ?
            WHERE id = ? RETURNING 1
            """, try sessionColumns(session) + [key])
        guard updated.count == 1 else { throw ArchiveError(.notFound, "no session \(key) to update") }
        try await db.execute("DELETE FROM injection WHERE session_id = ?", [key])
        try await db.execute("DELETE FROM session_text WHERE session_id = ?", [key])
        try await writeDependents(of: session, db)
        try await db.execute("UPDATE still SET injectates = ? WHERE session_id = ?", [SQLiteArchive.injectateMask(session), key])
    }

    public func session(_ id: UUID) async throws -> ProcedureSession? {
        try await query("read session") { db in
            try await db.value("SELECT document FROM session WHERE id = ?", [id.key], as: String.self)
                .map { try ArchiveCoding.decode(ProcedureSession.self, from: $0) }
        }
    }

    public func sessions(_ filter: SessionFilter) async throws -> [SessionSummary] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let patient = filter.patient {
            conditions.append("patient_id = ?")
            values.append(patient.value)
        }
        if let status = filter.status {
            conditions.append("status = ?")
            values.append(status.rawValue)
        }
        if let from = filter.from {
            conditions.append("started_at >= ?")
            values.append(from)
        }
        if let to = filter.to {
            conditions.append("started_at < ?")
            values.append(to)
        }
        if let tech = filter.recordedBy {
            conditions.append("tech = ?")
            values.append(tech)
        }
        if let physician = filter.toSignBy {
            conditions.append("physician = ? AND status <> 'recording' AND signed_at IS NULL")
            values.append(physician)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        values.append(filter.limit)
        let bound = values
        let sql = """
            SELECT document, (SELECT count(*) FROM still WHERE still.session_id = session.id) AS stills, signed_at
            FROM session LEFT JOIN session_signature ON session_signature.session_id = session.id
            \(whereClause) ORDER BY started_at DESC LIMIT ?
            """
        return try await query("list sessions") { db in
            try await db.rows(sql, bound).map { row in
                SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row.get("document")),
                               stillCount: try row.get("stills", as: Int.self), signedAt: try row.get("signed_at"))
            }
        }
    }

    public func sessionsStillRecording() async throws -> [ProcedureSession] {
        try await sessions(SessionFilter(status: .recording, limit: 1000)).map(\.session)
    }

    public func markInterruptedSessions(at date: Date) async throws -> [ProcedureSession] {
        try await markInterruptedByRecording(at: date)
    }

    public func endSession(_ id: UUID, as status: ProcedureSession.Status, reason: String?, at end: Date,
                           region: SpinalRegion?) async throws -> ProcedureSession {
        let key = id.key
        return try await write("end session \(key)") { db in
            try await Self.end(key, as: status, reason: reason, at: end, region: region, db)
        }
    }

    static func end(_ key: String, as status: ProcedureSession.Status, reason: String?, at end: Date,
                    region: SpinalRegion?, _ db: PGSession) async throws -> ProcedureSession {
        guard let document = try await db.value("SELECT document FROM session WHERE id = ?", [key], as: String.self) else {
            throw ArchiveError(.notFound, "no session \(key) to end")
        }
        var session = try ArchiveCoding.decode(ProcedureSession.self, from: document)
        guard session.status == .recording else { return session }
        try session.transition(to: status, reason: reason, at: max(end, session.startedAt))
        if session.region == nil { session.region = region }
        try await store(session, db)
        return session
    }

    public func sessionRevision(_ id: UUID) async throws -> SessionRevision? {
        try await query("read the session's version") { db in
            try await db.row("SELECT version, changed_by, changed_at FROM session WHERE id = ?", [id.key]).map {
                SessionRevision(version: try $0.get("version", as: Int.self), changedBy: try $0.get("changed_by"), changedAt: try $0.get("changed_at"))
            }
        }
    }

    @discardableResult
    public func editSession(_ id: UUID, expecting: Int?, by editor: String, reason: String?,
                            _ change: @escaping @Sendable (inout ProcedureSession) throws -> Void) async throws -> (ProcedureSession, SessionRevision) {
        let key = id.key
        return try await write("change session \(key.prefix(8))") { db in
            guard let row = try await db.row("SELECT document, version, changed_by, changed_at FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key): it may have been removed")
            }
            let stored: Int = try row.get("version")
            let changedBy: String? = try row.get("changed_by"), changedAt: Date? = try row.get("changed_at")
            if let expecting, expecting != stored {
                let who = changedBy ?? "the recorder or the command line"
                let when = changedAt.map { " at \(ISO8601DateFormatter().string(from: $0))" } ?? ""
                throw ArchiveError(.conflict, "the session's record was changed by \(who)\(when) after you opened it (version \(stored), yours is \(expecting)): reload to see that change, then make yours again")
            }
            let amendment = try await Self.addendumReason(for: key, reason, db)
            let before = try ArchiveCoding.decode(ProcedureSession.self, from: row.get("document"))
            var session = before
            try change(&session)
            let date = Date().archiveMilliseconds
            if let amendment {
                let changes = before.recordChanges(to: session)
                guard !changes.isEmpty else {
                    return (before, SessionRevision(version: stored, changedBy: changedBy, changedAt: changedAt))
                }
                try await Self.appendAddendum(key, by: editor, reason: amendment, changes: changes, at: date, db)
            }
            try await Self.store(session, db)
            let revision = SessionRevision(version: stored + 1, changedBy: editor, changedAt: date)
            try await db.execute("UPDATE session SET version = ?, changed_by = ?, changed_at = ? WHERE id = ?",
                                 [revision.version, editor, date, key])
            return (session, revision)
        }
    }

    // MARK: Procedure parts

    public func procedureParts(of id: UUID) async throws -> [SessionSummary] {
        try await query("read the parts of a procedure") { db in
            try await db.rows("""
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
                """, [id.key]).map { row in
                SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row.get("document")),
                               stillCount: try row.get("stills", as: Int.self))
            }
        }
    }

    public func continuableSession(startedAfter since: Date) async throws -> SessionSummary? {
        try await query("find the session to continue") { db in
            guard let row = try await db.row("""
                SELECT document, status, started_at, (SELECT count(*) FROM still WHERE still.session_id = session.id) AS stills,
                    EXISTS (SELECT 1 FROM session AS next WHERE next.continues = session.id) AS continued
                FROM session ORDER BY started_at DESC LIMIT 1
                """) else { return nil }
            let status: String = try row.get("status"), continued: Bool = try row.get("continued"), startedAt: Date = try row.get("started_at")
            guard ["interrupted", "failed"].contains(status), !continued, startedAt > since.archiveMilliseconds else { return nil }
            return SessionSummary(session: try ArchiveCoding.decode(ProcedureSession.self, from: row.get("document")),
                                  stillCount: try row.get("stills", as: Int.self))
        }
    }

    static func checkContinuation(_ continuation: ProcedureSession.Continuation, of session: ProcedureSession, _ db: PGSession) async throws {
        let previousID = continuation.previous.key
        guard let document = try await db.value("SELECT document FROM session WHERE id = ?", [previousID], as: String.self) else {
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
        if let next = try await db.value("SELECT id FROM session WHERE continues = ?", [previousID], as: String.self) {
            throw ArchiveError(.conflict, "session \(previousID.prefix(8)) was continued already, as session \(next.prefix(8)) (part \(continuation.part)): continue that one if it was cut short too")
        }
    }

    // MARK: Tags

    public func add(_ tags: [TagEvent], toSession session: UUID) async throws {
        let key = session.key
        try await write("add tags") { db in
            guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key): start or import a session first")
            }
            for tag in tags { try await Self.insert(tag, sessionID: key, db) }
        }
    }

    public func tags(ofSession session: UUID) async throws -> [TagEvent] {
        try await query("read tags") { db in
            try await db.rows("SELECT * FROM tag_event WHERE session_id = ? ORDER BY time, id", [session.key]).map { row in
                let sourceText: String = try row.get("source")
                guard let source = TagEvent.Source(rawValue: sourceText) else {
                    throw ArchiveError(.storage, "tag \(try row.get("id", as: Int.self)) has an unknown source")
                }
                return try TagEvent(time: row.get("time"), site: SQLiteArchive.site(location: row.get("site"), side: row.get("side")),
                                    structure: (try row.get("structure", as: String?.self)).map { TargetStructure.ID(rawValue: $0) },
                                    author: row.get("author"), source: source)
            }
        }
    }

    // MARK: Rows

    static func insertSession(_ session: ProcedureSession, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO session (id, patient_id, started_at, ended_at, physician, tech, region, indication, status,
                status_reason, treatment_number, planned_treatments, days_since_previous, pain_before, pain_after,
                notes, recording, document, continues)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, try sessionColumns(session) + [session.continuation?.previous.key])
        try await writeDependents(of: session, db)
    }

    static func insert(_ tag: TagEvent, sessionID: String, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO tag_event (session_id, time, site, span_low, span_high, side, structure, author, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [sessionID, tag.time, tag.site.location.description, tag.site.spanLow, tag.site.spanHigh,
                  tag.site.laterality?.rawValue, tag.structure?.rawValue, tag.author, tag.source.rawValue])
    }

    static func sessionColumns(_ session: ProcedureSession) throws -> [SQLValue] {
        [session.id.key, session.patientID.value, session.startedAt, session.endedAt,
         session.physician, session.tech, session.region?.rawValue, session.indication, session.status.rawValue,
         session.statusReason, session.treatment.number, session.treatment.planned, session.treatment.daysSincePrevious,
         session.painScores.before, session.painScores.after, session.notes, session.recording?.value,
         try ArchiveCoding.encode(session)]
    }

    static func writeDependents(of session: ProcedureSession, _ db: PGSession) async throws {
        let key = session.id.key
        for (ordinal, injection) in session.injections.enumerated() {
            try await db.execute("""
                INSERT INTO injection (session_id, ordinal, site, span_low, span_high, side, structure, injectate, volume_ml)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [key, ordinal, injection.site.location.description, injection.site.spanLow, injection.site.spanHigh,
                      injection.site.laterality?.rawValue, injection.structure?.rawValue,
                      injection.injectate.kind.rawValue, injection.volumeMillilitres])
        }
        let words = PostgresText.lexemes(session.indication + "\n" + session.notes + "\n" + session.complications.joined(separator: "\n"))
        try await db.execute("INSERT INTO session_text (session_id, words) VALUES (?, array_to_tsvector(?::text[]))", [key, words])
    }
}

extension UUID {
    /// How the archive keys a record: its id in lower case.
    var key: String { uuidString.lowercased() }
}
