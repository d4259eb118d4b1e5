import Crypto
import Foundation
import Records

extension PostgresArchive {
    public func sign(session id: UUID, by physician: String, expecting: Int?, at date: Date) async throws -> Signature {
        let key = id.key
        let date = date.archiveMilliseconds
        return try await write("sign session \(key.prefix(8))") { db in
            guard let row = try await db.row("SELECT document, version, changed_by FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            if let signed = try await Self.signer(of: key, db) {
                throw ArchiveError(.conflict, "the record was signed already by \(signed.by) at \(SQLiteArchive.time(signed.at)): a change now is an addendum")
            }
            let session = try ArchiveCoding.decode(ProcedureSession.self, from: row.get("document"))
            guard session.physician == physician else {
                throw ArchiveError(.conflict, "only \(session.physician), the session's physician, signs its record")
            }
            guard session.status != .recording else {
                throw ArchiveError(.conflict, "the session is still recording: stop it, complete the record, then sign")
            }
            let version: Int = try row.get("version")
            if let expecting, expecting != version {
                throw ArchiveError(.conflict, "the record was changed by \(try row.get("changed_by", as: String?.self) ?? "the recorder") after you opened it (version \(version), yours is \(expecting)): reload, read it, then sign")
            }
            let record = SignedRecord(session: session, millimetresPerPixel: try await Self.scale(of: key, db),
                                      stills: try await Self.signedStills(of: key, db))
            let text = try ArchiveCoding.encode(record)
            let hash = try ContentHash(digest: SHA256.hash(data: Data(text.utf8)))
            try await db.execute("INSERT INTO session_signature (session_id, signed_by, signed_at, record, record_hash) VALUES (?, ?, ?, ?, ?)",
                                 [key, physician, date, text, hash.hexDigits])
            // The hash goes into the chained trail in the same write.
            try await Self.appendAudit(AuditEvent(actor: physician, action: .sign, target: "session:\(key)", patientID: session.patientID.value,
                                                  detail: "record sha256 \(hash.hexDigits)", at: date), db)
            return Signature(signedBy: physician, signedAt: date, contentHash: hash, record: record)
        }
    }

    public func signature(ofSession id: UUID) async throws -> Signature? {
        try await query("read the session's signature") { db in
            guard let row = try await db.row("SELECT * FROM session_signature WHERE session_id = ?", [id.key]) else { return nil }
            return Signature(signedBy: try row.get("signed_by"), signedAt: try row.get("signed_at"),
                             contentHash: try ContentHash(hexDigits: row.get("record_hash")),
                             record: try ArchiveCoding.decode(SignedRecord.self, from: row.get("record")))
        }
    }

    public func addenda(ofSession id: UUID) async throws -> [Addendum] {
        try await query("read the session's addenda") { db in
            try await db.rows("SELECT * FROM session_addendum WHERE session_id = ? ORDER BY number", [id.key]).map { row in
                try Addendum(number: row.get("number", as: Int.self), author: row.get("author"), createdAt: row.get("created_at"),
                             reason: row.get("reason"), changes: try ArchiveCoding.decode([Addendum.Change].self, from: row.get("changes")))
            }
        }
    }

    static func signer(of sessionKey: String, _ db: PGSession) async throws -> (by: String, at: Date)? {
        guard let row = try await db.row("SELECT signed_by, signed_at FROM session_signature WHERE session_id = ?", [sessionKey]) else { return nil }
        return (try row.get("signed_by"), try row.get("signed_at"))
    }

    /// Nil when the record is not signed; the checked reason when it is (the change is an addendum).
    static func addendumReason(for sessionKey: String, _ reason: String?, _ db: PGSession) async throws -> String? {
        guard let signed = try await signer(of: sessionKey, db) else { return nil }
        do {
            return try Addendum.checkedReason(reason)
        } catch {
            throw ArchiveError(.invalid, "the record was signed by \(signed.by) at \(SQLiteArchive.time(signed.at)), so this change is an addendum: \(error)")
        }
    }

    static func appendAddendum(_ sessionKey: String, by author: String, reason: String, changes: [Addendum.Change], at date: Date,
                               _ db: PGSession) async throws {
        let number = (try await db.value("SELECT MAX(number) FROM session_addendum WHERE session_id = ?", [sessionKey], as: Int.self) ?? 0) + 1
        let text = try ArchiveCoding.encode(changes)
        try await db.execute("INSERT INTO session_addendum (session_id, number, author, created_at, reason, changes) VALUES (?, ?, ?, ?, ?, ?)",
                             [sessionKey, number, author, date, reason, text])
        let digest = try ContentHash(digest: SHA256.hash(data: Data((reason + "\n" + text).utf8)))
        try await appendAudit(AuditEvent(actor: author, action: .addendum, target: "session:\(sessionKey)",
                                         patientID: try await db.value("SELECT patient_id FROM session WHERE id = ?", [sessionKey], as: String.self),
                                         detail: "addendum \(number): \(Set(changes.map(\.field)).sorted().joined(separator: ", ")); sha256 \(digest.hexDigits)",
                                         at: date), db)
    }

    private static func signedStills(of sessionKey: String, _ db: PGSession) async throws -> [SignedRecord.StillEntry] {
        var sites = SQLiteArchive.SiteCache()
        return try await db.rows("""
            SELECT \(SQLiteArchive.stillColumns),
                   (SELECT MAX(revision) FROM still_tag_revision WHERE still_id = still.id) AS tag_revision,
                   (SELECT document FROM needle_annotation WHERE still_id = still.id ORDER BY revision DESC LIMIT 1) AS needle
            FROM still WHERE session_id = ? ORDER BY time
            """, [sessionKey]).map { row in
            let still = try still(from: row, sites: &sites)
            let needle = try row.get("needle", as: String?.self).map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0) }
            return SignedRecord.StillEntry(id: still.id, time: still.time, fileHash: still.fileHash, tag: still.tag,
                                           tagRevision: try row.get("tag_revision", as: Int?.self) ?? 1, needle: needle)
        }
    }

    static func signatureProblems(_ db: PGSession) async throws -> [String] {
        var problems: [String] = []
        for row in try await db.rows("SELECT session_id, record, record_hash FROM session_signature") {
            let key: String = try row.get("session_id"), stored: String = try row.get("record_hash"), record: String = try row.get("record")
            let actual = try ContentHash(digest: SHA256.hash(data: Data(record.utf8))).hexDigits
            if actual != stored {
                problems.append("the signed record of session \(key) was changed after signing (it hashes to \(actual.prefix(12))…, signed as \(stored.prefix(12))…)")
            }
            let inTrail = try await db.exists("SELECT 1 FROM audit_event WHERE action = 'sign' AND target = ? AND detail = ?",
                                              ["session:\(key)", "record sha256 \(stored)"])
            if !inTrail {
                problems.append("the signature of session \(key) is not in the audit trail: its hash \(stored.prefix(12))… was never recorded there")
            }
        }
        return problems
    }
}
