import Anatomy
import Foundation
import Records

/// What the rest of NeedleLog asks of the archive. SQLite (`SQLiteArchive`) is the
/// default; a PostgreSQL store for clinics with several stations can implement the
/// same protocol without its callers changing.
public protocol ArchiveStore: Sendable {
    var location: ArchiveLocation { get }

    func add(_ patient: Patient) async throws
    func patient(_ id: PatientID) async throws -> Patient?
    func patients() async throws -> [Patient]

    func add(_ session: ProcedureSession) async throws
    func update(_ session: ProcedureSession) async throws
    func session(_ id: UUID) async throws -> ProcedureSession?
    func sessions(_ filter: SessionFilter) async throws -> [SessionSummary]

    func add(_ tags: [TagEvent], toSession session: UUID) async throws
    func tags(ofSession session: UUID) async throws -> [TagEvent]

    /// Stores the PNG durably, then the still's row; returns the stored still.
    func addStill(_ draft: StillDraft, png: Data) async throws -> Still
    func stills(ofSession session: UUID) async throws -> [Still]
    func still(_ id: UUID) async throws -> Still?

    func search(_ query: StillSearch) async throws -> [StillSearchResult]

    /// Checks files against rows; with `repair`, moves stray files to quarantine.
    func verify(repair: Bool) async throws -> VerificationReport
}

/// Which sessions to list.
public struct SessionFilter: Sendable, Equatable {
    public var patient: PatientID?
    public var status: ProcedureSession.Status?
    public var from: Date?
    public var to: Date?
    public var limit: Int

    public init(patient: PatientID? = nil, status: ProcedureSession.Status? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 100) {
        self.patient = patient
        self.status = status
        self.from = from
        self.to = to
        self.limit = limit
    }
}

/// A session in a list: the session and how many stills it has.
public struct SessionSummary: Sendable, Equatable {
    public var session: ProcedureSession
    public var stillCount: Int
}

/// A still about to be stored: everything but what the store works out from the file.
public struct StillDraft: Sendable, Equatable {
    public var id: UUID
    public var sessionID: UUID
    public var time: Double
    public var sourceFrame: Int?
    public var tag: SiteTag?
    public var reason: Still.Reason
    public var width: Int
    public var height: Int
    public var colour: Still.Colour
    public var createdAt: Date

    public init(id: UUID = UUID(), sessionID: UUID, time: Double, sourceFrame: Int? = nil, tag: SiteTag?,
                reason: Still.Reason, width: Int, height: Int, colour: Still.Colour, createdAt: Date = Date()) {
        self.id = id
        self.sessionID = sessionID
        self.time = time
        self.sourceFrame = sourceFrame
        self.tag = tag
        self.reason = reason
        self.width = width
        self.height = height
        self.colour = colour
        self.createdAt = createdAt
    }
}
