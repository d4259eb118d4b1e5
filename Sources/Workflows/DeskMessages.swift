import Capture
import Archive
import Foundation
import Records

/// `POST /api/session/start`: who and what the session is for.
public struct StartRequest: Codable, Sendable {
    /// The patient's identifier; may be left out when continuing a session (it is that session's).
    public var patient: String?
    /// "2/6": this is treatment 2 of a planned 6.
    public var treatment: String?
    public var physician: String?
    public var tech: String?
    public var indication: String?
    /// The id of an interrupted or failed session this one continues, as the next part of
    /// the same procedure: its patient, treatment, physician and indication carry over.
    public var continues: String?
    /// The RIS order picked from the worklist (issue 15): its accession number and study
    /// instance UID go with the session into its exports. A continuation carries its first
    /// part's order.
    public var order: ScheduledOrder?

    public init(patient: String?, treatment: String? = nil, physician: String? = nil, tech: String? = nil, indication: String? = nil,
                continues: String? = nil, order: ScheduledOrder? = nil) {
        self.patient = patient
        self.order = order
        self.continues = continues
        self.treatment = treatment
        self.physician = physician
        self.tech = tech
        self.indication = indication
    }
}

/// `POST /api/tag`: what is on screen now.
public struct TagRequest: Codable, Sendable {
    /// A level, segment or site as clinicians write it: `L4-L5`, `L4/5`, `left SI joint`.
    public var site: String
    /// A structure id, name or synonym: `facet-capsule`, `facet`, `z-joint`.
    public var structure: String?
    /// `left`, `right`, `bilateral` or `midline`, when not already in `site`.
    public var side: String?

    public init(site: String, structure: String? = nil, side: String? = nil) {
        self.site = site
        self.structure = structure
        self.side = side
    }
}

/// A still as the status shows it.
public struct StillSummary: Codable, Sendable, Equatable {
    public var id: String
    public var time: Double
    public var reason: String
    public var tag: String?
}

/// What the desk is doing: JSON's `"idle"` or `"recording"`.
public enum DeskState: String, Codable, Sendable {
    case idle, recording
}

/// `GET /api/status`, and the answer to every control request.
public struct StatusResponse: Codable, Sendable, Equatable {
    /// Whether a session is recording now.
    public var state: DeskState
    public var session: String?
    /// The last session's status: recording, completed, interrupted, failed.
    public var sessionStatus: ProcedureSession.Status?
    public var patient: String?
    /// Seconds of video so far.
    public var elapsed: Double
    public var framesPerSecond: Double
    public var counters: CaptureCounters
    public var currentTag: String?
    public var freeDiskBytes: Int64?
    public var lastStills: [StillSummary]
    /// The live source's health while a session records: signal, measured rate, clock drift.
    public var source: SourceHealth?
    /// Room left on the archive's disk: time left at the recording's rate, and a warning.
    public var disk: DiskSpace?
    /// Why the last session ended as it did (disk full, no signal), when it says.
    public var statusReason: String?
    /// Archive writes waiting for the database (another program holding it locked).
    public var archive: ArchiveBacklog?
    /// A station of a shared archive: what waits in its journal while the database is away.
    public var journal: JournalStatus? = nil
    /// Spoken commands, when the station listens: what was heard last and what it did.
    public var voice: VoiceStatus? = nil
    /// While idle: the last session, when it was cut short and may be continued as its next part.
    public var continuable: ContinuableSession?
    /// Every session's counts since the daemon started, the current one's included: they
    /// only ever grow, as Prometheus counters must.
    public var totals: CaptureCounters
    /// While recording: the RIS order the session carries out, if picked from the worklist.
    public var order: ScheduledOrder? = nil
    /// Procedure step messages (MPPS) the RIS has not taken yet, and why; nil when none wait.
    public var ris: ProcedureStepReporter.Backlog? = nil
}

/// A session cut short (a crash, a restart, a lost source) that the tech may continue.
public struct ContinuableSession: Codable, Sendable, Equatable {
    public var session: String
    public var patient: String
    /// Its part of the procedure; continuing it records part `part + 1`.
    public var part: Int
    public var status: ProcedureSession.Status
    public var reason: String?
    public var startedAt: Date
    public var endedAt: Date?
    public var stills: Int
}

/// The answer to a tag request.
public struct TagResponse: Codable, Sendable, Equatable {
    public var time: Double
    public var tag: String
}
