import Crypto
import Foundation
import Records

/// What `needlelog migrate` copied; zero everywhere on a second run.
public struct MigrationReport: Sendable, Equatable {
    public var patients = 0
    public var accounts = 0
    public var sessions = 0
    public var stills = 0
    public var auditEvents = 0
    /// Sessions the shared archive had already (a run before this one copied them).
    public var sessionsPresent = 0
}

extension PostgresArchive {
    /// Copies an archive (the embedded one, moving to the shared deployment) into this
    /// one: patients, accounts, every session with its record, version, tags, scale,
    /// stills and their files, tag and needle revisions, needle suggestions, signature and
    /// addenda, then the audit trail with its chain as it was. Each session is one
    /// transaction; one already here is left as it is, so a second run adds nothing and a
    /// run cut short goes on where it stopped.
    ///
    /// - Throws: ``ArchiveError`` `.conflict` when the audit trail here is not the start
    ///   of the source's (another archive's trail is here: the chains cannot be joined).
    public func copy(from source: any ArchiveStore, progress: @Sendable (String) -> Void = { _ in }) async throws -> MigrationReport {
        var report = MigrationReport()
        for patient in try await source.patients() where try await self.patient(patient.id) == nil {
            try await add(patient)
            report.patients += 1
        }
        for account in try await source.accounts() where try await self.account(named: account.name) == nil {
            try await write("copy user \(account.name)") { db in
                try await db.execute("""
                    INSERT INTO account (name, role, password_hash, disabled, created_at, password_changed_at, family_name, given_name, credentials)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [account.name, account.role.rawValue, account.passwordHash, account.disabled, account.createdAt,
                          account.passwordChangedAt, account.person?.family, account.person?.given, account.person?.credentials ?? ""])
            }
            report.accounts += 1
        }
        // Oldest first, so a continuation finds the part it continues.
        let summaries = try await source.sessions(SessionFilter(limit: Int(Int32.max))).reversed()
        for (index, summary) in summaries.enumerated() {
            if try await sessionRevision(summary.session.id) != nil {
                report.sessionsPresent += 1
                continue
            }
            report.stills += try await copySession(summary.session, from: source)
            report.sessions += 1
            if index % 50 == 49 { progress("\(index + 1) of \(summaries.count) sessions") }
        }
        report.auditEvents = try await copyAudit(from: source)
        return report
    }

    /// One session and everything hanging from it, in one transaction.
    private func copySession(_ session: ProcedureSession, from source: any ArchiveStore) async throws -> Int {
        let id = session.id
        let revision = try await source.sessionRevision(id)
        let tags = try await source.tags(ofSession: id)
        let scale = try await source.scale(ofSession: id)
        let order = try await source.order(ofSession: id)
        let deliveries = try await source.deliveries(ofSession: id)
        let signature = try await source.signature(ofSession: id)
        let addenda = try await source.addenda(ofSession: id)
        var stills: [(still: Still, tags: [StillTagRevision], needles: NeedleAnnotationHistory, suggestion: StillNeedleSuggestion?)] = []
        for still in try await source.stills(ofSession: id) {
            _ = try files.store(try source.png(of: still))
            let history = try await source.tagHistory(ofStill: still.id)
            stills.append((still, history.count > 1 || history.first?.author != "capture" ? history : [],
                           try await source.annotationHistory(ofStill: still.id), try await source.needleSuggestion(ofStill: still.id)))
        }
        if let signature {
            let text = try ArchiveCoding.encode(signature.record)
            guard try ContentHash(digest: SHA256.hash(data: Data(text.utf8))) == signature.contentHash else {
                throw ArchiveError(.conflict, "the signed record of session \(id.key) does not hash to its signature here: check the source with audit verify first")
            }
        }
        let copied = stills
        try await write("copy session \(id.key.prefix(8))") { db in
            if let continuation = session.continuation, try await !db.exists("SELECT 1 FROM session WHERE id = ?", [continuation.previous.key]) {
                throw ArchiveError(.notFound, "session \(id.key.prefix(8)) continues \(continuation.previous.key.prefix(8)), which the source does not list")
            }
            try await Self.insertSession(session, db)
            try await db.execute("UPDATE session SET version = ?, changed_by = ?, changed_at = ? WHERE id = ?",
                                 [revision?.version ?? 1, revision?.changedBy, revision?.changedAt, id.key])
            for tag in tags { try await Self.insert(tag, sessionID: id.key, db) }
            if let scale { try await Self.insertScale(scale, sessionID: id.key, author: session.physician, db) }
            if let order {
                try await db.execute("INSERT INTO session_order (session_id, accession_number, detail) VALUES (?, ?, ?)",
                                     [id.key, order.accessionNumber, try ScheduledOrder.archiveJSON(order)])
            }
            for delivery in deliveries { try await Self.upsertDelivery(delivery, db) }
            let mask = SQLiteArchive.injectateMask(session)
            for entry in copied {
                try await Self.insert(entry.still, patientID: session.patientID.value,
                                      takenAt: session.startedAt.addingTimeInterval(entry.still.time), injectates: mask, db)
                for tag in entry.tags {
                    try await db.execute("""
                        INSERT INTO still_tag_revision (still_id, revision, site, side, structure, author, created_at, note)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [entry.still.id.key, tag.revision, tag.tag?.site.location.description, tag.tag?.site.laterality?.rawValue,
                              tag.tag?.structure?.rawValue, tag.author, tag.createdAt, tag.note])
                }
                if let latest = entry.tags.last {
                    let site = latest.tag?.site
                    try await db.execute("UPDATE still SET site = ?, span_low = ?, span_high = ?, side = ?, structure = ? WHERE id = ?",
                                         [site?.location.description, site?.spanLow, site?.spanHigh, site?.laterality?.rawValue,
                                          latest.tag?.structure?.rawValue, entry.still.id.key])
                    if let site { try await Self.insertSite(site, db) }
                }
                for needle in entry.needles.revisions {
                    try await db.execute("INSERT INTO needle_annotation (still_id, revision, author, created_at, document) VALUES (?, ?, ?, ?, ?)",
                                         [entry.still.id.key, needle.revision, needle.author, needle.createdAt, try ArchiveCoding.encode(needle)])
                }
                if !entry.needles.revisions.isEmpty {
                    try await db.execute("UPDATE still SET annotated = true WHERE id = ?", [entry.still.id.key])
                }
                if let suggestion = entry.suggestion {
                    try await db.execute("INSERT INTO needle_suggestion (still_id, detector, computed_at, suggestion) VALUES (?, ?, ?, ?)",
                                         [entry.still.id.key, suggestion.detector, suggestion.computedAt,
                                          try suggestion.suggestion.map { try ArchiveCoding.encode($0) }])
                }
            }
            if let signature {
                try await db.execute("INSERT INTO session_signature (session_id, signed_by, signed_at, record, record_hash) VALUES (?, ?, ?, ?, ?)",
                                     [id.key, signature.signedBy, signature.signedAt, try ArchiveCoding.encode(signature.record),
                                      signature.contentHash.hexDigits])
                for addendum in addenda {
                    try await db.execute("INSERT INTO session_addendum (session_id, number, author, created_at, reason, changes) VALUES (?, ?, ?, ?, ?, ?)",
                                         [id.key, addendum.number, addendum.author, addendum.createdAt, addendum.reason,
                                          try ArchiveCoding.encode(addendum.changes)])
                }
            }
        }
        return copied.count
    }

    /// The source's events after the last one here, with their times and order, so the
    /// chain computes to the same hashes.
    private func copyAudit(from source: any ArchiveStore) async throws -> Int {
        let events = try await source.auditEvents(patient: nil, limit: Int(Int32.max)).reversed()
        let last = try await auditEvents(patient: nil, limit: 1).first
        let here = last?.seq ?? 0
        if let mine = last {
            guard let same = events.first(where: { $0.seq == here }),
                  same.actor == mine.actor, same.action == mine.action, same.target == mine.target, same.detail == mine.detail else {
                throw ArchiveError(.conflict, "the shared archive's audit trail is not the start of this archive's (event \(here) differs): migrate into an empty database")
            }
        }
        let missing = events.filter { $0.seq > here }
        try await write("copy the audit trail") { db in
            for event in missing { _ = try await Self.appendAudit(event, db) }
        }
        return missing.count
    }
}
