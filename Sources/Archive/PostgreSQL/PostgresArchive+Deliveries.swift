import Foundation
import Records

extension PostgresArchive {
    public func record(_ delivery: PACSDelivery) async throws {
        let key = delivery.session.key
        let detail = try PACSDelivery.archiveJSON(delivery)
        try await write("keep the sending to the PACS") { db in
            guard try await db.exists("SELECT 1 FROM session WHERE id = ?", [key]) else {
                throw ArchiveError(.notFound, "no session \(key)")
            }
            try await Self.upsertDelivery(delivery, detail: detail, db)
        }
    }

    static func upsertDelivery(_ delivery: PACSDelivery, detail: String? = nil, _ db: PGSession) async throws {
        try await db.execute("""
            INSERT INTO pacs_delivery (id, session_id, started_at, detail) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET detail = excluded.detail
            """, [delivery.id.key, delivery.session.key, delivery.startedAt, try detail ?? PACSDelivery.archiveJSON(delivery)])
    }

    public func deliveries(ofSession id: UUID) async throws -> [PACSDelivery] {
        let rows = try await query("read the session's sendings to the PACS") { db in
            try await db.rows("SELECT detail FROM pacs_delivery WHERE session_id = ? ORDER BY started_at DESC, id", [id.key]).map { try $0.get(0, as: String.self) }
        }
        return try rows.map(PACSDelivery.fromArchiveJSON)
    }
}
