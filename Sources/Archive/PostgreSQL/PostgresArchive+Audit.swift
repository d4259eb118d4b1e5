import Foundation

extension PostgresArchive {
    @discardableResult
    public func audit(_ event: AuditEvent) async throws -> AuditEvent {
        try await write("write the audit trail") { db in try await Self.appendAudit(event, db) }
    }

    /// Appends an event inside a write, which holds the archive's write lock: two stations
    /// auditing at once take turns, and each event is chained to the one before it.
    @discardableResult
    static func appendAudit(_ event: AuditEvent, _ db: PGSession) async throws -> AuditEvent {
        let head = try await db.row("SELECT seq, hash FROM audit_head WHERE id = 1")
        var stored = event
        stored.seq = (try head?.get("seq", as: Int.self) ?? 0) + 1
        stored.at = event.at.archiveMilliseconds
        let previous = try head?.get("hash", as: String.self) ?? SQLiteArchive.auditGenesis
        let at = SQLiteArchive.auditTime(stored.at)
        let hash = SQLiteArchive.chainHash(stored, at: at, previous: previous)
        try await db.execute("""
            INSERT INTO audit_event (seq, at, actor, action, target, patient_id, outcome, detail, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [stored.seq, at, stored.actor, stored.action, stored.target, stored.patientID, stored.outcome.rawValue,
                  stored.detail, previous, hash])
        try await db.execute("""
            INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
            """, [stored.seq, hash])
        return stored
    }

    public func auditEvents(patient: String?, limit: Int) async throws -> [AuditEvent] {
        try await query("read the audit trail") { db in
            let rows = if let patient {
                try await db.rows("SELECT * FROM audit_event WHERE patient_id = ? ORDER BY seq DESC LIMIT ?", [patient, limit])
            } else {
                try await db.rows("SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?", [limit])
            }
            return try rows.map { try Self.auditEvent(from: $0).event }
        }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try await read("verify the audit trail") { db in
            var problems: [String] = []
            var previous = SQLiteArchive.auditGenesis
            var expectedSeq = 1
            var count = 0
            for row in try await db.rows("SELECT * FROM audit_event ORDER BY seq") {
                count += 1
                let (event, at) = try Self.auditEvent(from: row)
                let storedPrevious: String = try row.get("previous_hash"), storedHash: String = try row.get("hash")
                if event.seq != expectedSeq {
                    problems.append("events \(expectedSeq)-\(event.seq - 1) are missing (deleted)")
                }
                if storedPrevious != previous {
                    problems.append("event \(event.seq) does not follow the event before it (a row before it was deleted or changed)")
                }
                if SQLiteArchive.chainHash(event, at: at, previous: storedPrevious) != storedHash {
                    problems.append("event \(event.seq) was changed after it was written (its hash no longer matches)")
                }
                previous = storedHash
                expectedSeq = event.seq + 1
            }
            if let head = try await db.row("SELECT seq, hash FROM audit_head WHERE id = 1") {
                let seq: Int = try head.get("seq"), hash: String = try head.get("hash")
                if seq != expectedSeq - 1 || hash != previous {
                    problems.append("the trail ends at event \(expectedSeq - 1) but event \(seq) was written (events at the end were deleted)")
                }
            } else if count > 0 {
                problems.append("the trail's head record is missing")
            }
            problems += try await Self.signatureProblems(db)
            return AuditVerification(events: count, problems: problems)
        }
    }

    private static func auditEvent(from row: PGRow) throws -> (event: AuditEvent, at: String) {
        let text: String = try row.get("at"), outcomeText: String = try row.get("outcome"), seq: Int = try row.get("seq")
        guard let outcome = AuditEvent.Outcome(rawValue: outcomeText), let at = SQLiteArchive.auditDate(text) else {
            throw ArchiveError(.storage, "audit event \(seq) is malformed")
        }
        var event = AuditEvent(actor: try row.get("actor"), recorded: try row.get("action"), target: try row.get("target"),
                               patientID: try row.get("patient_id"), outcome: outcome, detail: try row.get("detail"), at: at)
        event.seq = seq
        return (event, text)
    }
}
