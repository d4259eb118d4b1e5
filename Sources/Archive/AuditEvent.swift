import Foundation

/// One line of the audit trail: who did what to which record, when, and how it ended.
///
/// `detail` never holds a patient's name or birth date: it names records by id.
public struct AuditEvent: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case success
        /// The attempt failed (a wrong password, a conflict).
        case failure
        /// The account's role does not allow it.
        case denied
    }

    /// Position in the trail, from 1; 0 before the event is stored.
    public var seq: Int
    public var at: Date
    /// The account's name, or `-` when nobody was signed in.
    public var actor: String
    /// What was done: an ``AuditAction``'s raw value (`login`, `view-session`, `export`...);
    /// text, so a trail written by a later NeedleLog with actions this one lacks still reads.
    public var action: String
    /// The record acted on: `session:ID`, `still:ID`, `user:NAME`.
    public var target: String
    public var patientID: String?
    public var outcome: Outcome
    public var detail: String

    public init(actor: String, action: AuditAction, target: String, patientID: String? = nil,
                outcome: Outcome = .success, detail: String = "", at: Date = Date()) {
        self.init(actor: actor, recorded: action.rawValue, target: target, patientID: patientID, outcome: outcome, detail: detail, at: at)
    }

    /// An event as the trail stored it, whatever its action's name.
    init(actor: String, recorded action: String, target: String, patientID: String?,
         outcome: Outcome, detail: String, at: Date) {
        self.seq = 0
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.patientID = patientID
        self.outcome = outcome
        self.detail = detail
    }
}

/// What `needlelog audit verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// How many events were checked.
    public var events: Int
    /// One line per break in the chain; empty when the trail is whole.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }
}
