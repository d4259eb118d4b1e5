import Foundation
import Records

extension PostgresArchive {
    public func setOrder(_ order: ScheduledOrder, ofSession id: UUID) async throws {
        let key = id.key
        let detail = try ScheduledOrder.archiveJSON(order)
        try await write("keep the session's RIS order") { db in
            guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            try await Self.upsertOrder(order, sessionKey: key, detail: detail, db)
        }
    }

    static func upsertOrder(_ order: ScheduledOrder, sessionKey: String, detail: String? = nil, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO session_order (session_id, accession_number, detail) VALUES (?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET accession_number = excluded.accession_number, detail = excluded.detail
            """, [sessionKey, order.accessionNumber, try detail ?? ScheduledOrder.archiveJSON(order)])
    }

    public func order(ofSession id: UUID) async throws -> ScheduledOrder? {
        let detail = try await query("read the session's RIS order") { db in
            try await db.value("SELECT detail FROM session_order WHERE session_id = ?", [id.key], as: String.self)
        }
        return try detail.map(ScheduledOrder.fromArchiveJSON)
    }
}
