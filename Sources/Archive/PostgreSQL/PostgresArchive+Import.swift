import Anatomy
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

    /// Rows in bulk for benchmarks: many rows a statement (PostgreSQL takes up to 65,535
    /// values in one), so a million stills take minutes, not the half hour row by row takes.
    public func insertIndexRows(patients: [Patient], sessions: [ProcedureSession], stills: [Still]) async throws {
        try await write("bulk insert") { db in
            for patient in patients { try await Self.insert(patient, db) }
            var owners: [UUID: (String, Date, Int)] = [:]
            var sessionRows: [[SQLValue]] = [], injectionRows: [[SQLValue]] = [], textRows: [[SQLValue]] = []
            for session in sessions {
                sessionRows.append(try Self.sessionColumns(session) + [session.continuation?.previous.key])
                for (ordinal, injection) in session.injections.enumerated() {
                    injectionRows.append([session.id.key, ordinal, injection.site.location.description, injection.site.spanLow,
                                          injection.site.spanHigh, injection.site.laterality?.rawValue, injection.structure?.rawValue,
                                          injection.injectate.kind.rawValue, injection.volumeMillilitres])
                }
                let words = PostgresText.lexemes(session.indication + "\n" + session.notes + "\n" + session.complications.joined(separator: "\n"))
                textRows.append([session.id.key, words.joined(separator: " ")])
                owners[session.id] = (session.patientID.value, session.startedAt, SQLiteArchive.injectateMask(session))
            }
            try await Self.insertMany(db, "session (id, patient_id, started_at, ended_at, physician, tech, region, indication, status, status_reason, treatment_number, planned_treatments, days_since_previous, pain_before, pain_after, notes, recording, document, continues)", sessionRows)
            try await Self.insertMany(db, "injection (session_id, ordinal, site, span_low, span_high, side, structure, injectate, volume_ml)", injectionRows)
            try await Self.insertMany(db, "session_text (session_id, words)", textRows, row: "(?, array_to_tsvector(string_to_array(?, ' ')))")
            var stillRows: [[SQLValue]] = []
            var sites: [String: AnatomicSite] = [:]
            for still in stills {
                var owner = owners[still.sessionID]
                if owner == nil {
                    guard let row = try await db.row("SELECT patient_id, started_at FROM session WHERE id = ?", [still.sessionID.key]) else {
                        throw ArchiveError(.notFound, "no session for still \(still.id)")
                    }
                    owner = (try row.get("patient_id"), try row.get("started_at"), try await Self.injectateMask(ofSession: still.sessionID.key, db))
                    owners[still.sessionID] = owner
                }
                guard let (patientID, startedAt, mask) = owner else { continue }
                let site = still.tag?.site
                if let site { sites[site.location.description + "|" + (site.laterality?.rawValue ?? "")] = site }
                stillRows.append([still.id.key, still.sessionID.key, patientID, startedAt.addingTimeInterval(still.time), still.time,
                                  still.sourceFrame, site?.location.description, site?.spanLow, site?.spanHigh, site?.laterality?.rawValue,
                                  still.tag?.structure?.rawValue, still.reason.rawValue, still.fileHash.hexDigits, still.byteSize,
                                  still.width, still.height, still.colour.rawValue, false, still.createdAt, mask])
            }
            try await Self.insertMany(db, "still (id, session_id, patient_id, taken_at, time, source_frame, site, span_low, span_high, side, structure, reason, file_hash, byte_size, width, height, colour, annotated, created_at, injectates)", stillRows)
            for site in sites.values { try await Self.insertSite(site, db) }
        }
    }

    /// `INSERT INTO table VALUES (...), (...)` in as few statements as the bind limit allows.
    private static func insertMany(_ db: PGSession, _ table: String, _ rows: [[SQLValue]], row shape: String? = nil) async throws {
        guard let width = rows.first?.count else { return }
        let tuple = shape ?? "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        let perStatement = max(1, 60_000 / width)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            try await db.execute("INSERT INTO \(table) VALUES " + Array(repeating: tuple, count: chunk.count).joined(separator: ", "),
                                 chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    public func analyze() async throws {
        // VACUUM as well: index-only scans need the visibility map it writes.
        try await query("analyze") { db in try await db.execute("VACUUM ANALYZE") }
    }
}
