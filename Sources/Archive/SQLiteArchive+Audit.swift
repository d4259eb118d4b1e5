import Foundation
import GRDB

extension SQLiteArchive {
    /// The hash before the first event.
    static let auditGenesis = String(repeating: "0", count: 64)

    /// Appends an event to the audit trail, chained to the one before it.
    @discardableResult
    public func audit(_ event: AuditEvent) async throws -> AuditEvent {
        try await write("write the audit trail") { db in try Self.appendAudit(event, db) }
    }

    /// Appends an event inside a write: a change that must not happen unaudited (a
    /// signature, an addendum) is written with its event or not at all.
    @discardableResult
    static func appendAudit(_ event: AuditEvent, _ db: Database) throws -> AuditEvent {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
        var stored = event
        stored.seq = (head?["seq"] as Int? ?? 0) + 1
        // Stored to the millisecond, so the hash is computed over exactly what is read back.
        stored.at = Date(timeIntervalSince1970: (event.at.timeIntervalSince1970 * 1000).rounded() / 1000)
        let previous: String = head?["hash"] ?? Self.auditGenesis
        let hash = Self.chainHash(stored, at: Self.auditTime(stored.at), previous: previous)
        try db.execute(sql: """
            INSERT INTO audit_event (seq, at, actor, action, target, patient_id, outcome, detail, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [stored.seq, Self.auditTime(stored.at), stored.actor, stored.action, stored.target, stored.patientID,
                             stored.outcome.rawValue, stored.detail, previous, hash])
        try db.execute(sql: "INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", arguments: [stored.seq, hash])
        return stored
    }

    /// Events, newest first; only those about `patient` when given.
    public func auditEvents(patient: String? = nil, limit: Int = 1000) async throws -> [AuditEvent] {
        try await read("read the audit trail") { db in
            let rows = if let patient {
                try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE patient_id = ? ORDER BY seq DESC LIMIT ?",
                                 arguments: [patient, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map(Self.auditEvent(from:))
        }
    }

    /// Walks the whole trail, recomputing every hash: an edited row, a deleted row or a
    /// cut-off tail each show up as a problem.
    public func verifyAudit() async throws -> AuditVerification {
        try await read("verify the audit trail") { db in
            var problems: [String] = []
            var previous = Self.auditGenesis
            var expectedSeq = 1
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event ORDER BY seq")
            while let row = try cursor.next() {
                count += 1
                let event = try Self.auditEvent(from: row)
                let storedPrevious: String = row["previous_hash"]
                let storedHash: String = row["hash"]
                if event.seq != expectedSeq {
                    problems.append("events \(expectedSeq)-\(event.seq - 1) are missing (deleted)")
                }
                if storedPrevious != previous {
                    problems.append("event \(event.seq) does not follow the event before it (a row before it was deleted or changed)")
                }
                if Self.chainHash(event, at: row["at"], previous: storedPrevious) != storedHash {
                    problems.append("event \(event.seq) was changed after it was written (its hash no longer matches)")
                }
                previous = storedHash
                expectedSeq = event.seq + 1
            }
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
            if let head, (head["seq"] as Int) != expectedSeq - 1 || (head["hash"] as String) != previous {
                problems.append("the trail ends at event \(expectedSeq - 1) but event \(head["seq"] as Int) was written (events at the end were deleted)")
            } else if head == nil, count > 0 {
                problems.append("the trail's head record is missing")
            }
            problems += try Self.signatureProblems(db)
            return AuditVerification(events: count, problems: problems)
        }
    }

    /// - Parameter at: the time as stored, so verification hashes the very text in the row.
    static func chainHash(_ event: AuditEvent, at: String, previous: String) -> String {
        // Fields joined with a unit separator, which none of them may contain unnoticed:
        // a field that gained one would change every later hash anyway.
        let fields = [previous, String(event.seq), at, event.actor, event.action, event.target,
                      event.patientID ?? "", event.outcome.rawValue, event.detail]
        return StillFileStore.hash(Data(fields.joined(separator: "\u{1F}").utf8)).hexDigits
    }

    /// `2024-05-02T14:30:05.123` (UTC), from the time rounded to the millisecond: the
    /// formatter alone truncates, and a time read back a hair below its millisecond would
    /// be written one millisecond early by a copy (migrate) and hash differently.
    static func auditTime(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let text = Date(timeIntervalSince1970: Double(seconds))
            .formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        return text + String(format: ".%03d", Int(milliseconds - seconds * 1000))
    }

    /// The time of an event as stored (``auditTime(_:)``'s text).
    static func auditDate(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }

    private static func auditEvent(from row: Row) throws -> AuditEvent {
        guard let outcome = AuditEvent.Outcome(rawValue: row["outcome"]), let at = auditDate(row["at"]) else {
            throw ArchiveError(.storage, "audit event \(row["seq"] as Int) is malformed")
        }
        var event = AuditEvent(actor: row["actor"], recorded: row["action"], target: row["target"], patientID: row["patient_id"],
                               outcome: outcome, detail: row["detail"], at: at)
        event.seq = row["seq"]
        return event
    }
}
