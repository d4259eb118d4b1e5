import Anatomy
import Foundation
import Records

/// What the rest of NeedleLog asks of the archive: every caller outside this module holds
/// an `any ArchiveStore`, so a second store (PostgreSQL, for clinics with several rooms)
/// conforms and no caller changes. `SQLiteArchive` is the default; `ArchiveLocation.open`
/// opens it. A store keeps the rules every conformer must keep (the conformance suite in
/// the tests runs them on each): a write is whole or not at all, a session's record is
/// changed by compare-and-swap on its version, the audit trail is append-only and chained.
public protocol ArchiveStore: Sendable {
    /// The archive's folder: still and recording files, the lock, the station token.
    var location: ArchiveLocation { get }
    /// The still files, named by their content hash.
    var files: StillFileStore { get }
    /// The schema version of the stored data (`PRAGMA user_version` for SQLite).
    func schemaVersion() async throws -> Int

    // MARK: Patients
    func add(_ patient: Patient) async throws
    func patient(_ id: PatientID) async throws -> Patient?
    func patients() async throws -> [Patient]

    // MARK: Sessions
    /// Adds a session; a continuation must follow an interrupted or failed part of the same
    /// patient that nothing continues yet.
    func add(_ session: ProcedureSession) async throws
    /// Writes the whole record as given, counting up its version (imports, recovery).
    func update(_ session: ProcedureSession) async throws
    func session(_ id: UUID) async throws -> ProcedureSession?
    /// Sets (or replaces) the RIS order a session carries out (issue 15).
    func setOrder(_ order: ScheduledOrder, ofSession id: UUID) async throws
    /// The RIS order of a session started from the worklist, else nil.
    func order(ofSession id: UUID) async throws -> ScheduledOrder?
    /// Keeps a sending of the session to the PACS, replacing the one with its id (issue 15).
    func record(_ delivery: PACSDelivery) async throws
    /// The session's sendings to the PACS, newest first.
    func deliveries(ofSession id: UUID) async throws -> [PACSDelivery]
    func sessions(_ filter: SessionFilter) async throws -> [SessionSummary]
    func sessionsStillRecording() async throws -> [ProcedureSession]
    /// Ends a recording session, changing only its status, reason and end (and its region,
    /// from its tags, when the record has none).
    func endSession(_ id: UUID, as status: ProcedureSession.Status, reason: String?, at end: Date,
                    region: SpinalRegion?) async throws -> ProcedureSession
    /// Marks every session still `recording` as `interrupted` (start-up after a crash).
    func markInterruptedSessions(at date: Date) async throws -> [ProcedureSession]
    /// The record's version and who changed it last.
    func sessionRevision(_ id: UUID) async throws -> SessionRevision?
    /// Reads, changes and writes a session's record in one write, refused (`.conflict`,
    /// naming who) when `expecting` is not the stored version. A signed record changes
    /// only with a `reason`, and the change is stored as an addendum in the same write.
    @discardableResult
    func editSession(_ id: UUID, expecting: Int?, by editor: String, reason: String?,
                     _ change: @escaping @Sendable (inout ProcedureSession) throws -> Void) async throws -> (ProcedureSession, SessionRevision)
    /// Every part of the procedure a session belongs to, first part first.
    func procedureParts(of id: UUID) async throws -> [SessionSummary]
    /// The session started last, when it was cut short after `since` and not continued.
    func continuableSession(startedAfter since: Date) async throws -> SessionSummary?
    func scale(ofSession id: UUID) async throws -> Double?
    /// Sets the scale; on a signed record only with a `reason` (an addendum).
    func setScale(ofSession id: UUID, millimetresPerPixel: Double, by author: String, reason: String?) async throws

    // MARK: Signature and addenda
    /// The session's physician signs its ended record: the record and its stills as they
    /// are now are kept as signed, with their SHA-256. Refused (`.conflict`) while
    /// recording, once signed, for anyone else, or when the record moved past `expecting`.
    func sign(session id: UUID, by physician: String, expecting: Int?, at date: Date) async throws -> Signature
    func signature(ofSession id: UUID) async throws -> Signature?
    /// Changes made after signing, oldest first. Every change to a signed record (the
    /// record, a retag, a needle, the scale) is written with one, in the same write; the
    /// note of a retag or a needle is its reason.
    func addenda(ofSession id: UUID) async throws -> [Addendum]

    // MARK: Tags and stills
    func add(_ tags: [TagEvent], toSession session: UUID) async throws
    func tags(ofSession session: UUID) async throws -> [TagEvent]
    /// Stores the PNG durably, then the still's row; returns the stored still.
    func addStill(_ draft: StillDraft, png: Data) async throws -> Still
    func stills(ofSession session: UUID) async throws -> [Still]
    func still(_ id: UUID) async throws -> Still?
    /// The still's PNG, checked against its hash.
    func png(of still: Still) throws -> Data
    func tagHistory(ofStill id: UUID) async throws -> [StillTagRevision]
    func retag(still id: UUID, to tag: SiteTag?, by author: String, note: String, basedOn: Int, at date: Date) async throws -> StillTagRevision

    // MARK: Imports
    /// The session an identical file was imported as, if any.
    func importedSession(contentHash: ContentHash) async throws -> UUID?
    /// A whole imported clip (session, tags, stills, the scanner's scale when known) in one write.
    func addImportedSession(_ session: ProcedureSession, tags: [TagEvent], stills: [StillFile],
                            source: (hash: ContentHash, fileName: String)?, millimetresPerPixel: Double?) async throws -> [Still]

    // MARK: Needle annotations
    func annotationHistory(ofStill id: UUID) async throws -> NeedleAnnotationHistory
    func saveAnnotation(_ geometry: NeedleGeometry, onStill id: UUID, by author: String, note: String,
                        basedOn: Int?, suggestedBy: String?, at date: Date) async throws -> NeedleAnnotation
    func annotatedStills(ofSession id: UUID) async throws -> Set<UUID>

    // MARK: Needle suggestions
    /// What the needle detector made of a still: a suggestion, or nil for none found.
    /// Replaces an earlier one (a newer detector); never touches the drawn revisions.
    func saveNeedleSuggestion(_ suggestion: NeedleSuggestion?, forStill id: UUID, detector: String, at date: Date) async throws
    /// The detector's result for a still; nil when it has not looked at it yet.
    func needleSuggestion(ofStill id: UUID) async throws -> StillNeedleSuggestion?
    /// Stills stored since `since` (every still when nil) that the detector `detector` has
    /// not looked at, oldest first.
    func stillsWithoutNeedleSuggestion(detector: String, storedSince since: Date?, limit: Int) async throws -> [UUID]
    /// Stills whose id (lower case) starts with `prefix`, as the tables print ids: up to `limit`.
    func stillIDs(prefix: String, limit: Int) async throws -> [UUID]

    // MARK: Search
    func search(_ query: StillSearch) async throws -> [StillSearchResult]

    // MARK: Accounts
    func add(_ account: Account) async throws
    func update(_ account: Account) async throws
    func account(named name: String) async throws -> Account?
    func accounts() async throws -> [Account]

    // MARK: Audit trail
    /// Appends an event to the chained, append-only trail; returns it as stored.
    @discardableResult
    func audit(_ event: AuditEvent) async throws -> AuditEvent
    func auditEvents(patient: String?, limit: Int) async throws -> [AuditEvent]
    func verifyAudit() async throws -> AuditVerification

    // MARK: Upkeep
    /// Checks files against rows; with `repair`, moves stray files older than `now` less
    /// ``SQLiteArchive/inFlightAge`` to quarantine.
    func verify(repair: Bool, now: Date) async throws -> VerificationReport
    /// A consistent copy of everything, taken while the recorder writes, with a manifest of hashes.
    @discardableResult
    func backup(to destination: URL) async throws -> ArchiveBackup.Manifest
    /// Rows written as they are, in bulk, for benchmarks and migrations: no checks beyond the schema's.
    func insertIndexRows(patients: [Patient], sessions: [ProcedureSession], stills: [Still]) async throws
    /// Refreshes the query planner's statistics.
    func analyze() async throws

    /// What waits in the station's journal for the shared archive; nil for a store that
    /// keeps none (the embedded archive writes at once).
    func journalStatus() -> JournalStatus?
}

/// The arguments callers usually leave out.
extension ArchiveStore {
    public func journalStatus() -> JournalStatus? { nil }

    public func markInterruptedSessions() async throws -> [ProcedureSession] { try await markInterruptedSessions(at: Date()) }

    /// A change to a record that is not signed (one that is signed refuses it: it needs a reason).
    @discardableResult
    public func editSession(_ id: UUID, expecting: Int?, by editor: String,
                            _ change: @escaping @Sendable (inout ProcedureSession) throws -> Void) async throws -> (ProcedureSession, SessionRevision) {
        try await editSession(id, expecting: expecting, by: editor, reason: nil, change)
    }

    public func setScale(ofSession id: UUID, millimetresPerPixel: Double, by author: String) async throws {
        try await setScale(ofSession: id, millimetresPerPixel: millimetresPerPixel, by: author, reason: nil)
    }

    public func sign(session id: UUID, by physician: String, expecting: Int? = nil) async throws -> Signature {
        try await sign(session: id, by: physician, expecting: expecting, at: Date())
    }

    @discardableResult
    public func endSession(_ id: UUID, as status: ProcedureSession.Status, reason: String?, at end: Date) async throws -> ProcedureSession {
        try await endSession(id, as: status, reason: reason, at: end, region: nil)
    }

    public func retag(still id: UUID, to tag: SiteTag?, by author: String, note: String = "", basedOn: Int) async throws -> StillTagRevision {
        try await retag(still: id, to: tag, by: author, note: note, basedOn: basedOn, at: Date())
    }

    public func saveAnnotation(_ geometry: NeedleGeometry, onStill id: UUID, by author: String, note: String = "",
                               basedOn: Int?, suggestedBy: String? = nil) async throws -> NeedleAnnotation {
        try await saveAnnotation(geometry, onStill: id, by: author, note: note, basedOn: basedOn, suggestedBy: suggestedBy, at: Date())
    }

    public func auditEvents(patient: String? = nil) async throws -> [AuditEvent] { try await auditEvents(patient: patient, limit: 1000) }

    public func verify(repair: Bool) async throws -> VerificationReport { try await verify(repair: repair, now: Date()) }
}

extension ArchiveLocation {
    /// Opens the archive in this folder (SQLite, the default store), creating it when
    /// `create` is true; a folder with no archive is an error otherwise.
    public func open(create: Bool = true) throws -> any ArchiveStore {
        try SQLiteArchive(location: self, create: create)
    }

    /// Opens the shared archive in `database` with its files in this folder, or the
    /// embedded one here when no database is named.
    public func open(database: DatabaseAddress?, create: Bool = true) async throws -> any ArchiveStore {
        guard let database else { return try open(create: create) }
        return try await PostgresArchive.open(database, files: self, create: create)
    }
}

/// Which sessions to list.
public struct SessionFilter: Sendable, Equatable {
    public var patient: PatientID?
    public var status: ProcedureSession.Status?
    public var from: Date?
    public var to: Date?
    /// Only the sessions this tech recorded: what a tech may see.
    public var recordedBy: String?
    /// Only this physician's ended sessions that are not signed: their "to sign" list.
    public var toSignBy: String?
    public var limit: Int

    public init(patient: PatientID? = nil, status: ProcedureSession.Status? = nil, from: Date? = nil, to: Date? = nil,
                recordedBy: String? = nil, toSignBy: String? = nil, limit: Int = 100) {
        self.patient = patient
        self.recordedBy = recordedBy
        self.toSignBy = toSignBy
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
    /// When its physician signed it; nil while unsigned.
    public var signedAt: Date? = nil
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
