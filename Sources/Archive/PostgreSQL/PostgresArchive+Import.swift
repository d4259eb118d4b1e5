import Foundation
import Records

extension PostgresArchive {
    public func importedSession(contentHash: ContentHash) async throws -> UUID? {
        try await query("look up an imported file") { db in
            try await db.value("SELECT session_id FROM imported_file WHERE content_hash = ?", [contentHash.hexDigits], as: String.self)
                .flatMap(UUID.init(uuidString:))
        }
    }

    /// Still files first (durably), then every row in one transaction; files this call
    /// created are removed again when the rows cannot be written.
    @discardableResult
    public func addImportedSession(_ session: ProcedureSession, tags: [TagEvent], stills: [StillFile],
                                   source: (hash: ContentHash, fileName: String)?, millimetresPerPixel: Double?) async throws -> [Still] {
        if let millimetresPerPixel { try SQLiteArchive.checkScale(millimetresPerPixel) }
        var created: [URL] = []
        var records: [Still] = []
        do {
            for still in stills {
                let hash = StillFileStore.hash(still.png)
                let url = files.url(for: hash)
                if !FileManager.default.fileExists(atPath: url.path) { created.append(url) }
                try files.store(still.png)
                let d = still.draft
                records.append(try Still(id: d.id, sessionID: session.id, time: d.time, sourceFrame: d.sourceFrame, tag: d.tag,
                                         reason: d.reason, fileHash: hash, byteSize: still.png.count, width: d.width,
                                         height: d.height, colour: d.colour, createdAt: d.createdAt))
            }
            let rows = records
            try await write("store the imported session") { db in
                guard try await db.exists("SELECT 1 FROM patient WHERE id = ?", [session.patientID.value]) else {
                    throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
                }
                if let source, let existing = try await db.value("SELECT session_id FROM imported_file WHERE content_hash = ?",
                                                                 [source.hash.hexDigits], as: String.self) {
                    throw ArchiveError(.conflict, "\(source.fileName) was already imported as session \(existing.prefix(8)): import it once more only on purpose",
                                      remedy: .importAgain)
                }
                try await Self.insertSession(session, db)
                let key = session.id.key
                for tag in tags { try await Self.insert(tag, sessionID: key, db) }
                let injectates = SQLiteArchive.injectateMask(session)
                for still in rows {
                    try await Self.insert(still, patientID: session.patientID.value, takenAt: session.startedAt.addingTimeInterval(still.time),
                                          injectates: injectates, db)
                }
                if let millimetresPerPixel {
                    try await Self.insertScale(millimetresPerPixel, sessionID: key, author: session.tech, db)
                }
                if let source {
                    try await db.execute("""
                        INSERT INTO imported_file (content_hash, session_id, file_name, imported_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (content_hash) DO UPDATE SET session_id = excluded.session_id, file_name = excluded.file_name,
                            imported_at = excluded.imported_at
                        """, [source.hash.hexDigits, key, source.fileName, Date()])
                }
            }
        } catch {
            for url in created { try? FileManager.default.removeItem(at: url) }
            throw error
        }
        return records
    }

    public func insertIndexRows(patients: [Patient], sessions: [ProcedureSession], stills: [Still]) async throws {
        try await write("bulk insert") { db in
            for patient in patients { try await Self.insert(patient, db) }
            var started: [UUID: (String, Date, Int)] = [:]
            for session in sessions {
                try await Self.insertSession(session, db)
                started[session.id] = (session.patientID.value, session.startedAt, SQLiteArchive.injectateMask(session))
            }
            for still in stills {
                var owner = started[still.sessionID]
                if owner == nil {
                    guard let row = try await db.row("SELECT patient_id, started_at FROM session WHERE id = ?", [still.sessionID.key]) else {
                        throw ArchiveError(.notFound, "no session for still \(still.id)")
                    }
                    owner = (try row.get("patient_id"), try row.get("started_at"), try await Self.injectateMask(ofSession: still.sessionID.key, db))
                    started[still.sessionID] = owner
                }
                guard let (patientID, startedAt, mask) = owner else { continue }
                try await Self.insert(still, patientID: patientID, takenAt: startedAt.addingTimeInterval(still.time), injectates: mask, db)
            }
        }
    }

    public func analyze() async throws {
        try await query("analyze") { db in try await db.execute("ANALYZE") }
    }
}
