import Crypto
import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Signs a session's record as its physician: the record and its stills as they are
    /// now (``SignedRecord``) are stored with their SHA-256, in one write.
    ///
    /// - Parameter expecting: the record's version the physician read; a record changed
    ///   since is not signed (they would sign what they never saw).
    /// - Throws: ``ArchiveError`` `.notFound`; `.conflict` when the session is still
    ///   recording, already signed, changed since `expecting`, or `physician` is not its
    ///   physician.
    public func sign(session id: UUID, by physician: String, expecting: Int?, at date: Date) async throws -> Signature {
        let key = id.uuidString.lowercased()
        return try await write("sign session \(key.prefix(8))") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, version, changed_by FROM session WHERE id = ?", arguments: [key]) else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            if let signed = try Self.signer(of: key, db) {
                throw ArchiveError(.conflict, "the record was signed already by \(signed.by) at \(Self.time(signed.at)): a change now is an addendum")
            }
            let session = try ArchiveCoding.decode(ProcedureSession.self, from: row["document"] as String)
            guard session.physician == physician else {
                throw ArchiveError(.conflict, "only \(session.physician), the session's physician, signs its record")
            }
            guard session.status != .recording else {
                throw ArchiveError(.conflict, "the session is still recording: stop it, complete the record, then sign")
            }
            let version: Int = row["version"]
            if let expecting, expecting != version {
                throw ArchiveError(.conflict, "the record was changed by \((row["changed_by"] as String?) ?? "the recorder") after you opened it (version \(version), yours is \(expecting)): reload, read it, then sign")
            }
            let record = SignedRecord(session: session, millimetresPerPixel: try Self.scale(of: key, db), stills: try Self.signedStills(of: key, db))
            let text = try ArchiveCoding.encode(record)
            let hash = try ContentHash(digest: SHA256.hash(data: Data(text.utf8)))
            try db.execute(sql: """
                INSERT INTO session_signature (session_id, signed_by, signed_at, record, record_hash) VALUES (?, ?, ?, ?, ?)
                """, arguments: [key, physician, date, text, hash.hexDigits])
            // The hash goes into the chained trail in the same write: a signed version changed
            // later no longer matches what the trail says was signed.
            try Self.appendAudit(AuditEvent(actor: physician, action: .sign, target: "session:\(key)", patientID: session.patientID.value,
                                            detail: "record sha256 \(hash.hexDigits)", at: date), db)
            // The time as stored (to the millisecond), so the signature returned is the one read back later.
            let stored = try Date.fetchOne(db, sql: "SELECT signed_at FROM session_signature WHERE session_id = ?", arguments: [key]) ?? date
            return Signature(signedBy: physician, signedAt: stored, contentHash: hash, record: record)
        }
    }

    /// The signature on a session's record, nil while unsigned.
    public func signature(ofSession id: UUID) async throws -> Signature? {
        try await read("read the session's signature") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM session_signature WHERE session_id = ?",
                                             arguments: [id.uuidString.lowercased()]) else { return nil }
            return Signature(signedBy: row["signed_by"], signedAt: row["signed_at"], contentHash: try ContentHash(hexDigits: row["record_hash"]),
                             record: try ArchiveCoding.decode(SignedRecord.self, from: row["record"]))
        }
    }

    /// The changes made after signing, oldest first.
    public func addenda(ofSession id: UUID) async throws -> [Addendum] {
        try await read("read the session's addenda") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session_addendum WHERE session_id = ? ORDER BY number",
                             arguments: [id.uuidString.lowercased()]).map { row in
                try Addendum(number: row["number"], author: row["author"], createdAt: row["created_at"], reason: row["reason"],
                             changes: try ArchiveCoding.decode([Addendum.Change].self, from: row["changes"]))
            }
        }
    }

    /// Who signed the session's record, and when; nil while unsigned.
    static func signer(of sessionKey: String, _ db: Database) throws -> (by: String, at: Date)? {
        try Row.fetchOne(db, sql: "SELECT signed_by, signed_at FROM session_signature WHERE session_id = ?", arguments: [sessionKey])
            .map { ($0["signed_by"], $0["signed_at"]) }
    }

    /// For a change about to be made to a session's record: nil when the record is not
    /// signed (the change is made as before); the checked reason when it is, so the change
    /// is written with an addendum (``appendAddendum(_:by:reason:changes:at:_:)``).
    ///
    /// - Throws: ``ArchiveError`` `.invalid` for a signed record and no reason.
    static func addendumReason(for sessionKey: String, _ reason: String?, _ db: Database) throws -> String? {
        guard let signed = try signer(of: sessionKey, db) else { return nil }
        do {
            return try Addendum.checkedReason(reason)
        } catch {
            throw ArchiveError(.invalid, "the record was signed by \(signed.by) at \(time(signed.at)), so this change is an addendum: \(error)")
        }
    }

    /// Writes the next addendum of a signed record, inside the change's own write.
    static func appendAddendum(_ sessionKey: String, by author: String, reason: String, changes: [Addendum.Change], at date: Date,
                               _ db: Database) throws {
        let number = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM session_addendum WHERE session_id = ?", arguments: [sessionKey]) ?? 0) + 1
        let text = try ArchiveCoding.encode(changes)
        try db.execute(sql: """
            INSERT INTO session_addendum (session_id, number, author, created_at, reason, changes) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [sessionKey, number, author, date, reason, text])
        // What changed is hashed into the trail (the values themselves may name a patient's
        // condition; the hash and the fields' names do not).
        let digest = try ContentHash(digest: SHA256.hash(data: Data((reason + "\n" + text).utf8)))
        try appendAudit(AuditEvent(actor: author, action: .addendum, target: "session:\(sessionKey)",
                                   patientID: try String.fetchOne(db, sql: "SELECT patient_id FROM session WHERE id = ?", arguments: [sessionKey]),
                                   detail: "addendum \(number): \(Set(changes.map(\.field)).sorted().joined(separator: ", ")); sha256 \(digest.hexDigits)",
                                   at: date), db)
    }

    /// The session a still belongs to, as the archive keys it.
    static func sessionKey(ofStill stillKey: String, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT session_id FROM still WHERE id = ?", arguments: [stillKey])
    }

    static func scale(of sessionKey: String, _ db: Database) throws -> Double? {
        try Double.fetchOne(db, sql: "SELECT millimetres_per_pixel FROM session_scale WHERE session_id = ?", arguments: [sessionKey])
    }

    /// Each still of the session as it is now: image hash, tag and its revision, newest needle.
    private static func signedStills(of sessionKey: String, _ db: Database) throws -> [SignedRecord.StillEntry] {
        var sites = SiteCache()
        return try Row.fetchAll(db, sql: """
            SELECT \(stillColumns),
                   (SELECT MAX(revision) FROM still_tag_revision WHERE still_id = still.id),
                   (SELECT document FROM needle_annotation WHERE still_id = still.id ORDER BY revision DESC LIMIT 1)
            FROM still WHERE session_id = ? ORDER BY time
            """, arguments: [sessionKey]).map { row in
            let still = try still(from: row, sites: &sites)
            let needle = try (row[stillColumnCount + 1] as String?).map { try ArchiveCoding.decode(NeedleAnnotation.self, from: $0) }
            return SignedRecord.StillEntry(id: still.id, time: still.time, fileHash: still.fileHash, tag: still.tag,
                                           tagRevision: (row[stillColumnCount] as Int?) ?? 1, needle: needle)
        }
    }

    /// Each signature's stored record must still hash to what was signed, and the trail
    /// must carry that hash: `audit verify` reports any that does not.
    static func signatureProblems(_ db: Database) throws -> [String] {
        var problems: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT session_id, record, record_hash FROM session_signature") {
            let key: String = row["session_id"], stored: String = row["record_hash"]
            let actual = try ContentHash(digest: SHA256.hash(data: Data((row["record"] as String).utf8))).hexDigits
            if actual != stored {
                problems.append("the signed record of session \(key) was changed after signing (it hashes to \(actual.prefix(12))…, signed as \(stored.prefix(12))…)")
            }
            let inTrail = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM audit_event WHERE action = 'sign' AND target = ? AND detail = ?
                """, arguments: ["session:\(key)", "record sha256 \(stored)"]) ?? false
            if !inTrail {
                problems.append("the signature of session \(key) is not in the audit trail: its hash \(stored.prefix(12))… was never recorded there")
            }
        }
        return problems
    }

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
