import Foundation
import GRDB
import Records

extension SQLiteArchive {
    public func record(_ delivery: PACSDelivery) async throws {
        let key = delivery.session.uuidString.lowercased()
        let detail = try PACSDelivery.archiveJSON(delivery)
        try await write("keep the sending to the PACS") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [key]) == true else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO pacs_delivery (id, session_id, started_at, detail) VALUES (?, ?, ?, ?)",
                           arguments: [delivery.id.uuidString.lowercased(), key, delivery.startedAt, detail])
        }
    }

    public func deliveries(ofSession id: UUID) async throws -> [PACSDelivery] {
        let rows = try await read("read the session's sendings to the PACS") { db in
            try String.fetchAll(db, sql: "SELECT detail FROM pacs_delivery WHERE session_id = ? ORDER BY started_at DESC, id",
                                arguments: [id.uuidString.lowercased()])
        }
        return try rows.map(PACSDelivery.fromArchiveJSON)
    }
}

extension PACSDelivery {
    static func archiveJSON(_ delivery: PACSDelivery) throws -> String {
        try ArchiveCoding.encode(delivery)
    }

    static func fromArchiveJSON(_ text: String) throws -> PACSDelivery {
        do {
            return try ArchiveCoding.decode(PACSDelivery.self, from: text)
        } catch {
            throw ArchiveError(.storage, "a sending to the PACS in the archive does not read (\(error)): run needlelog verify")
        }
    }
}
