import Anatomy
import Foundation
import Records

/// A write the station recorded while the shared archive's database did not answer,
/// waiting in its journal to be sent: exactly what the store would have been asked.
public struct JournalEntry: Sendable, Equatable {
    public enum Write: Sendable, Equatable {
        case addSession(ProcedureSession)
        case addTags([TagEvent], session: UUID)
        case addStill(Still, png: Data)
        case endSession(UUID, status: ProcedureSession.Status, reason: String?, end: Date, region: SpinalRegion?)
        case audit(AuditEvent)
        /// The RIS order of a session (issue 15), which follows its start into the journal.
        case setOrder(ScheduledOrder, session: UUID)
    }

    /// Sent at most once: the database keeps the ids of the entries it applied.
    public var id: UUID
    public var write: Write
    public var recordedAt: Date

    /// What the tech page and the log say about it (never a patient's identifier).
    public var summary: String {
        switch write {
        case .addSession: "the start of a session"
        case .addTags(let tags, _): tags.count == 1 ? "a tag" : "\(tags.count) tags"
        case .addStill: "a still"
        case .endSession: "the end of a session"
        case .audit: "an audit event"
        case .setOrder: "a session's RIS order"
        }
    }
}

extension JournalEntry.Write {
    /// The kind and JSON stored in the journal's row.
    var stored: (kind: String, payload: String, png: Data?) {
        get throws {
            switch self {
            case .addSession(let session): ("add-session", try ArchiveCoding.encode(session), nil)
            case .addTags(let tags, let session): ("add-tags", try ArchiveCoding.encode(TagsPayload(session: session, tags: tags)), nil)
            case .addStill(let still, let png): ("add-still", try ArchiveCoding.encode(still), png)
            case .endSession(let id, let status, let reason, let end, let region):
                ("end-session", try ArchiveCoding.encode(EndPayload(session: id, status: status, reason: reason, end: end, region: region)), nil)
            case .audit(let event): ("audit", try ArchiveCoding.encode(event), nil)
            case .setOrder(let order, let session): ("set-order", try ArchiveCoding.encode(OrderPayload(session: session, order: order)), nil)
            }
        }
    }

    init(kind: String, payload: String, png: Data?) throws {
        switch kind {
        case "add-session": self = .addSession(try ArchiveCoding.decode(ProcedureSession.self, from: payload))
        case "add-tags":
            let tags = try ArchiveCoding.decode(TagsPayload.self, from: payload)
            self = .addTags(tags.tags, session: tags.session)
        case "add-still":
            guard let png else { throw ArchiveError(.storage, "a journalled still has lost its picture") }
            self = .addStill(try ArchiveCoding.decode(Still.self, from: payload), png: png)
        case "end-session":
            let end = try ArchiveCoding.decode(EndPayload.self, from: payload)
            self = .endSession(end.session, status: end.status, reason: end.reason, end: end.end, region: end.region)
        case "audit": self = .audit(try ArchiveCoding.decode(AuditEvent.self, from: payload))
        case "set-order":
            let order = try ArchiveCoding.decode(OrderPayload.self, from: payload)
            self = .setOrder(order.order, session: order.session)
        default: throw ArchiveError(.storage, "the station's journal holds a write of an unknown kind \(kind), from a newer NeedleLog")
        }
    }

    private struct OrderPayload: Codable {
        var session: UUID
        var order: ScheduledOrder
    }

    private struct TagsPayload: Codable {
        var session: UUID
        var tags: [TagEvent]
    }

    private struct EndPayload: Codable {
        var session: UUID
        var status: ProcedureSession.Status
        var reason: String?
        var end: Date
        var region: SpinalRegion?
    }
}
