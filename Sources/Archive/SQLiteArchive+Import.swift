import Foundation
import GRDB
import Records

/// A still ready to be stored with a session: its record and its PNG.
public struct StillFile: Sendable {
    public var draft: StillDraft
    public var png: Data

    public init(draft: StillDraft, png: Data) {
        self.draft = draft
        self.png = png
    }
}

extension SQLiteArchive {
    /// The session an identical file (same SHA-256) was imported as, if any.
    public func importedSession(contentHash: ContentHash) async throws -> UUID? {
        try await read("look up an imported file") { db in
            try String.fetchOne(db, sql: "SELECT session_id FROM imported_file WHERE content_hash = ?", arguments: [contentHash.hexDigits])
                .flatMap(UUID.init(uuidString:))
        }
    }

    /// Stores a whole imported session at once: still files first (durably), then the
    /// session, its tags, its stills, the scanner's scale when known (set by the session's
    /// tech) and the imported file's hash in one transaction.
    /// Either all rows are written or none, and files this call created are removed
    /// again if the rows could not be written.
    @discardableResult
    public func addImportedSession(_ session: ProcedureSession, tags: [TagEvent], stills: [StillFile],
                                   source: (hash: ContentHash, fileName: String)?, millimetresPerPixel: Double?) async throws -> [Still] {
        if let millimetresPerPixel { try Self.checkScale(millimetresPerPixel) }
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
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patient WHERE id = ?", arguments: [session.patientID.value]) == true else {
                    throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
                }
                if let source, let existing = try String.fetchOne(db, sql: "SELECT session_id FROM imported_file WHERE content_hash = ?",
                                                                  arguments: [source.hash.hexDigits]) {
                    throw ArchiveError(.conflict, "\(source.fileName) was already imported as session \(existing.prefix(8)): import it once more only on purpose",
                                      remedy: .importAgain)
                }
                try Self.insertSession(session, db)
                let id = session.id.uuidString.lowercased()
                for tag in tags { try Self.insert(tag, sessionID: id, db) }
                let injectates = Self.injectateMask(session)
                for still in rows {
                    try Self.insert(still, patientID: session.patientID.value, takenAt: session.startedAt.addingTimeInterval(still.time),
                                    injectates: injectates, db)
                }
                if let millimetresPerPixel {
                    try Self.insertScale(millimetresPerPixel, sessionID: id, author: session.tech, db)
                }
                if let source {
                    try db.execute(sql: "INSERT OR REPLACE INTO imported_file (content_hash, session_id, file_name, imported_at) VALUES (?, ?, ?, ?)",
                                   arguments: [source.hash.hexDigits, id, source.fileName, Date()])
                }
            }
        } catch {
            for url in created { try? FileManager.default.removeItem(at: url) }
            throw error
        }
        return records
    }
}
