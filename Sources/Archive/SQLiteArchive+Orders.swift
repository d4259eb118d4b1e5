import Foundation
import GRDB
import Records

extension SQLiteArchive {
    public func setOrder(_ order: ScheduledOrder, ofSession id: UUID) async throws {
        let key = id.uuidString.lowercased()
        let detail = try ScheduledOrder.archiveJSON(order)
        try await write("keep the session's RIS order") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [key]) == true else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO session_order (session_id, accession_number, detail) VALUES (?, ?, ?)",
                           arguments: [key, order.accessionNumber, detail])
        }
    }

    public func order(ofSession id: UUID) async throws -> ScheduledOrder? {
        let detail = try await read("read the session's RIS order") { db in
            try String.fetchOne(db, sql: "SELECT detail FROM session_order WHERE session_id = ?", arguments: [id.uuidString.lowercased()])
        }
        return try detail.map(ScheduledOrder.fromArchiveJSON)
    }
}

extension ScheduledOrder {
    /// The order as the archive keeps it: JSON with sorted keys.
    static func archiveJSON(_ order: ScheduledOrder) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(order), as: UTF8.self)
    }

    static func fromArchiveJSON(_ text: String) throws -> ScheduledOrder {
        do {
            return try JSONDecoder().decode(ScheduledOrder.self, from: Data(text.utf8))
        } catch {
            throw ArchiveError(.storage, "a session's RIS order in the archive does not read (\(error)): run needlelog verify")
        }
    }
}
