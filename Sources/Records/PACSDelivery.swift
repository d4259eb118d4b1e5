import Foundation

/// One sending of a session's DICOM objects to the clinic's PACS (issue 15): where, by
/// whom, when, and what became of each object, including the archive's storage
/// commitment. Kept with the session so its page says whether the PACS holds its images.
public struct PACSDelivery: Sendable, Codable, Equatable, Identifiable {
    /// What became of one object.
    public struct Instance: Sendable, Codable, Equatable {
        public var sopInstanceUID: String
        /// `image`, `presentation state` or `video`.
        public var kind: String
        /// The still it shows, when it shows one.
        public var still: UUID?
        /// `stored`, `stored-with-warning`, `already-stored`, `refused` or `not-sent`.
        public var status: String
        /// The archive's words for a warning or refusal, or why it was not sent.
        public var detail: String
        /// `committed`, `failed` or `pending`; nil when no commitment was asked for it.
        public var commitment: String?
        public var commitmentDetail: String?

        public init(sopInstanceUID: String, kind: String, still: UUID? = nil, status: String, detail: String = "",
                    commitment: String? = nil, commitmentDetail: String? = nil) {
            self.sopInstanceUID = sopInstanceUID
            self.kind = kind
            self.still = still
            self.status = status
            self.detail = detail
            self.commitment = commitment
            self.commitmentDetail = commitmentDetail
        }

        /// The PACS holds it (whatever it said about the commitment).
        public var isHeld: Bool { ["stored", "stored-with-warning", "already-stored"].contains(status) }
    }

    public let id: UUID
    public let session: UUID
    /// The PACS, `AE@HOST:PORT`.
    public var destination: String
    /// The account that asked for it.
    public var by: String
    public var startedAt: Date
    /// Nil while it runs (or when the daemon stopped before it finished).
    public var finishedAt: Date?
    /// Whether storage commitment was asked for.
    public var commitmentAsked: Bool
    public var instances: [Instance]
    /// Why it stopped short (the PACS unreachable, the export refused), in words.
    public var problem: String?

    public init(id: UUID = UUID(), session: UUID, destination: String, by: String, startedAt: Date, finishedAt: Date? = nil,
                commitmentAsked: Bool, instances: [Instance] = [], problem: String? = nil) {
        self.id = id
        self.session = session
        self.destination = destination
        self.by = by
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.commitmentAsked = commitmentAsked
        self.instances = instances
        self.problem = problem
    }

    /// Every object is held by the PACS and, where asked, committed to.
    public var isComplete: Bool {
        finishedAt != nil && problem == nil && !instances.isEmpty
            && instances.allSatisfy { $0.isHeld && (!commitmentAsked || $0.commitment == "committed") }
    }
}
