import Foundation
import Records

extension PostgresArchive {
    /// Applies a station's journal entry in one transaction with the note that it was
    /// applied: an entry sent twice (the first answer lost with the network) changes
    /// nothing the second time. Returns false when it had been applied already.
    ///
    /// - Throws: ``ArchiveError`` `.unreachable` while the database does not answer (the
    ///   entry stays in the journal); any other error is the archive refusing the write.
    @discardableResult
    public func apply(_ entry: JournalEntry, station: String) async throws -> Bool {
        if case .addStill(let still, let png) = entry.write {
            // The file first, as addStill does: a row never names a missing file.
            let hash = try files.store(png)
            guard hash == still.fileHash else {
                throw ArchiveError(.storage, "the journalled still \(still.id.key) no longer hashes to its name")
            }
        }
        return try await write("send the station's journal") { db in
            let id = entry.id.key
            if try await db.exists("SELECT 1 FROM journal_applied WHERE entry_id = ?", [id]) { return false }
            switch entry.write {
            case .addSession(let session):
                // Stored already (the station gave up waiting for an answer that came late).
                if try await db.exists("SELECT 1 FROM session WHERE id = ?", [session.id.key]) { break }
                guard try await db.exists("SELECT 1 FROM patient WHERE id = ?", [session.patientID.value]) else {
                    throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
                }
                if let continuation = session.continuation { try await Self.checkContinuation(continuation, of: session, db) }
                try await Self.insertSession(session, db)
            case .addTags(let tags, let session):
                guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [session.key]) else {
                    throw ArchiveError(.notFound, "no session \(session.key) for the journalled tags")
                }
                for tag in tags { try await Self.insert(tag, sessionID: session.key, db) }
            case .addStill(let still, _):
                if try await db.exists("SELECT 1 FROM still WHERE id = ?", [still.id.key]) { break }
                guard let row = try await db.row("SELECT patient_id, started_at FROM session WHERE id = ?", [still.sessionID.key]) else {
                    throw ArchiveError(.notFound, "no session \(still.sessionID.key) for the journalled still")
                }
                let startedAt: Date = try row.get("started_at")
                try await Self.insert(still, patientID: try row.get("patient_id"), takenAt: startedAt.addingTimeInterval(still.time),
                                      injectates: try await Self.injectateMask(ofSession: still.sessionID.key, db), db)
            case .endSession(let session, let status, let reason, let end, let region):
                _ = try await Self.end(session.key, as: status, reason: reason, at: end, region: region, db)
            case .audit(let event):
                try await Self.appendAudit(event, db)
            case .setOrder(let order, let session):
                guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [session.key]) else {
                    throw ArchiveError(.notFound, "no session \(session.key) for the journalled RIS order")
                }
                try await Self.upsertOrder(order, sessionKey: session.key, db)
            }
            try await db.execute("INSERT INTO journal_applied (entry_id, station, recorded_at, applied_at) VALUES (?, ?, ?, ?)",
                                 [id, station, entry.recordedAt, Date()])
            return true
        }
    }
}
