import Anatomy
import Foundation
import Records
import Synchronization

/// What the tech page says about a station's journal.
public struct JournalStatus: Codable, Sendable, Equatable {
    /// Writes kept on this station, waiting for the shared archive.
    public var waiting: Int
    /// Writes the shared archive refused for a reason of its own, kept aside in the journal.
    public var refused: Int
    /// The database did not answer the last time it was tried.
    public var offline: Bool
}

/// A station's view of the shared archive that never stops it recording: the writes
/// made at the table (a session's start and end, tags, stills, audit events) go to the
/// database when it answers; while it does not, they go to the station's journal and
/// are sent from there, in order and exactly once, when it is back. While anything
/// waits, new writes queue behind it so the order holds. Everything else (searches, the
/// record, signatures) needs the database and says so while it is away.
public final class JournaledArchive: ArchiveStore, Sendable {
    public let shared: PostgresArchive
    public let journal: StationJournal
    /// Who applied an entry, in the archive's own record of it.
    public let station: String
    private struct State {
        var sending = false
        var offline = false
        /// Sessions this station started, as last known: a session ended while the
        /// database is away ends from here.
        var sessions: [UUID: ProcedureSession] = [:]
    }
    private let state = Mutex(State())

    public init(shared: PostgresArchive, journal: StationJournal, station: String = ProcessInfo.processInfo.hostName) {
        self.shared = shared
        self.journal = journal
        self.station = station
        send()
    }

    public var location: ArchiveLocation { shared.location }
    public var files: StillFileStore { shared.files }

    public func journalStatus() -> JournalStatus? {
        let counts = (try? journal.counts()) ?? (waiting: 0, refused: 0)
        return JournalStatus(waiting: counts.waiting, refused: counts.refused, offline: state.withLock { $0.offline } && counts.waiting > 0)
    }

    // MARK: Writes at the table

    public func add(_ session: ProcedureSession) async throws {
        try await perform(.addSession(session), local: ()) { _ in try await self.shared.add(session) }
        state.withLock { $0.sessions[session.id] = session }
    }

    public func add(_ tags: [TagEvent], toSession session: UUID) async throws {
        // As an entry even when the database answers: tags have no id of their own, and a
        // write whose answer was lost (sent again from the journal) must not land twice.
        try await perform(.addTags(tags, session: session), local: ()) { entry in try await self.shared.apply(entry, station: self.station) }
    }

    public func addStill(_ draft: StillDraft, png: Data) async throws -> Still {
        let still = try Still(id: draft.id, sessionID: draft.sessionID, time: draft.time, sourceFrame: draft.sourceFrame, tag: draft.tag,
                              reason: draft.reason, fileHash: StillFileStore.hash(png), byteSize: png.count, width: draft.width,
                              height: draft.height, colour: draft.colour, createdAt: draft.createdAt)
        return try await perform(.addStill(still, png: png), local: still) { _ in try await self.shared.addStill(draft, png: png) }
    }

    public func endSession(_ id: UUID, as status: ProcedureSession.Status, reason: String?, at end: Date,
                           region: SpinalRegion?) async throws -> ProcedureSession {
        var local = state.withLock { $0.sessions[id] }
        if var known = local, known.status == .recording {
            try known.transition(to: status, reason: reason, at: max(end, known.startedAt))
            if known.region == nil { known.region = region }
            local = known
        }
        let ended: ProcedureSession
        if let local {
            ended = try await perform(.endSession(id, status: status, reason: reason, end: end, region: region), local: local) { _ in
                try await self.shared.endSession(id, as: status, reason: reason, at: end, region: region)
            }
        } else {
            ended = try await shared.endSession(id, as: status, reason: reason, at: end, region: region)
        }
        state.withLock { $0.sessions[id] = nil }
        return ended
    }

    @discardableResult
    public func audit(_ event: AuditEvent) async throws -> AuditEvent {
        // An entry, as tags are: the trail must not hold an event twice.
        try await perform(.audit(event), local: event) { entry in
            try await self.shared.apply(entry, station: self.station)
            return event
        }
    }

    /// Straight to the database while nothing waits and it answers; else into the journal.
    private func perform<T: Sendable>(_ write: JournalEntry.Write, local: T, _ online: (JournalEntry) async throws -> T) async throws -> T {
        let entry = JournalEntry(id: UUID(), write: write, recordedAt: Date())
        if try !journal.hasWaiting() {
            do {
                return try await online(entry)
            } catch let error as ArchiveError where error.kind == .unreachable {
                state.withLock { $0.offline = true }
            }
        }
        try journal.append(entry)
        send()
        return local
    }

    /// Sends the journal's entries, oldest first, until none is left; waits while the
    /// database does not answer. One sender at a time.
    private func send() {
        let start = state.withLock { state -> Bool in
            guard !state.sending else { return false }
            state.sending = true
            return true
        }
        guard start else { return }
        Task {
            var wait = Duration.milliseconds(500)
            while true {
                let next: JournalEntry?
                do {
                    next = try journal.first()
                } catch {
                    // The station's own disk failed: nothing to send from; try again later.
                    try? await Task.sleep(for: .seconds(5))
                    continue
                }
                guard let entry = next else {
                    let done = state.withLock { state -> Bool in
                        // A write may have been journalled since the look: look again before stopping.
                        if (try? journal.hasWaiting()) ?? false { return false }
                        state.sending = false
                        return true
                    }
                    if done { return }
                    continue
                }
                do {
                    try await shared.apply(entry, station: station)
                    try journal.remove(entry.id)
                    state.withLock { $0.offline = false }
                    wait = .milliseconds(500)
                } catch let error as ArchiveError where error.kind == .unreachable {
                    state.withLock { $0.offline = true }
                    try? await Task.sleep(for: wait)
                    wait = min(wait * 2, .seconds(5))
                } catch {
                    try? journal.refuse(entry.id, because: "\(error)")
                }
            }
        }
    }

    /// Waits until the journal is empty or `deadline` passes; true when empty.
    public func drain(until deadline: ContinuousClock.Instant) async -> Bool {
        while ContinuousClock.now < deadline {
            if (try? journal.hasWaiting()) == false { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (try? journal.hasWaiting()) == false
    }

    // MARK: Everything else: the shared archive itself

    public func schemaVersion() async throws -> Int { try await shared.schemaVersion() }
    public func add(_ patient: Patient) async throws { try await shared.add(patient) }
    public func patient(_ id: PatientID) async throws -> Patient? { try await shared.patient(id) }
    public func patients() async throws -> [Patient] { try await shared.patients() }
    public func update(_ session: ProcedureSession) async throws { try await shared.update(session) }
    public func session(_ id: UUID) async throws -> ProcedureSession? { try await shared.session(id) }
    public func sessions(_ filter: SessionFilter) async throws -> [SessionSummary] { try await shared.sessions(filter) }
    public func sessionsStillRecording() async throws -> [ProcedureSession] { try await shared.sessionsStillRecording() }
    public func markInterruptedSessions(at date: Date) async throws -> [ProcedureSession] { try await markInterruptedByRecording(at: date) }
    public func sessionRevision(_ id: UUID) async throws -> SessionRevision? { try await shared.sessionRevision(id) }
    public func editSession(_ id: UUID, expecting: Int?, by editor: String, reason: String?,
                            _ change: @escaping @Sendable (inout ProcedureSession) throws -> Void) async throws -> (ProcedureSession, SessionRevision) {
        try await shared.editSession(id, expecting: expecting, by: editor, reason: reason, change)
    }
    public func procedureParts(of id: UUID) async throws -> [SessionSummary] { try await shared.procedureParts(of: id) }
    public func continuableSession(startedAfter since: Date) async throws -> SessionSummary? { try await shared.continuableSession(startedAfter: since) }
    public func scale(ofSession id: UUID) async throws -> Double? { try await shared.scale(ofSession: id) }
    /// Journalled like the session's start it follows: kept while the database is away.
    public func setOrder(_ order: ScheduledOrder, ofSession id: UUID) async throws {
        try await perform(.setOrder(order, session: id), local: ()) { entry in try await self.shared.apply(entry, station: self.station) }
    }
    public func order(ofSession id: UUID) async throws -> ScheduledOrder? { try await shared.order(ofSession: id) }
    /// Not journalled: a sending is the physician's, who sees at once that the database is away.
    public func record(_ delivery: PACSDelivery) async throws { try await shared.record(delivery) }
    public func deliveries(ofSession id: UUID) async throws -> [PACSDelivery] { try await shared.deliveries(ofSession: id) }
    public func setScale(ofSession id: UUID, millimetresPerPixel: Double, by author: String, reason: String?) async throws {
        try await shared.setScale(ofSession: id, millimetresPerPixel: millimetresPerPixel, by: author, reason: reason)
    }
    public func sign(session id: UUID, by physician: String, expecting: Int?, at date: Date) async throws -> Signature {
        try await shared.sign(session: id, by: physician, expecting: expecting, at: date)
    }
    public func signature(ofSession id: UUID) async throws -> Signature? { try await shared.signature(ofSession: id) }
    public func addenda(ofSession id: UUID) async throws -> [Addendum] { try await shared.addenda(ofSession: id) }
    public func tags(ofSession session: UUID) async throws -> [TagEvent] { try await shared.tags(ofSession: session) }
    public func stills(ofSession session: UUID) async throws -> [Still] { try await shared.stills(ofSession: session) }
    public func still(_ id: UUID) async throws -> Still? { try await shared.still(id) }
    public func png(of still: Still) throws -> Data { try shared.png(of: still) }
    public func tagHistory(ofStill id: UUID) async throws -> [StillTagRevision] { try await shared.tagHistory(ofStill: id) }
    public func retag(still id: UUID, to tag: SiteTag?, by author: String, note: String, basedOn: Int, at date: Date) async throws -> StillTagRevision {
        try await shared.retag(still: id, to: tag, by: author, note: note, basedOn: basedOn, at: date)
    }
    public func importedSession(contentHash: ContentHash) async throws -> UUID? { try await shared.importedSession(contentHash: contentHash) }
    public func addImportedSession(_ session: ProcedureSession, tags: [TagEvent], stills: [StillFile],
                                   source: (hash: ContentHash, fileName: String)?, millimetresPerPixel: Double?) async throws -> [Still] {
        try await shared.addImportedSession(session, tags: tags, stills: stills, source: source, millimetresPerPixel: millimetresPerPixel)
    }
    public func annotationHistory(ofStill id: UUID) async throws -> NeedleAnnotationHistory { try await shared.annotationHistory(ofStill: id) }
    public func saveAnnotation(_ geometry: NeedleGeometry, onStill id: UUID, by author: String, note: String,
                               basedOn: Int?, suggestedBy: String?, at date: Date) async throws -> NeedleAnnotation {
        try await shared.saveAnnotation(geometry, onStill: id, by: author, note: note, basedOn: basedOn, suggestedBy: suggestedBy, at: date)
    }
    public func annotatedStills(ofSession id: UUID) async throws -> Set<UUID> { try await shared.annotatedStills(ofSession: id) }
    public func saveNeedleSuggestion(_ suggestion: NeedleSuggestion?, forStill id: UUID, detector: String, at date: Date) async throws {
        try await shared.saveNeedleSuggestion(suggestion, forStill: id, detector: detector, at: date)
    }
    public func needleSuggestion(ofStill id: UUID) async throws -> StillNeedleSuggestion? { try await shared.needleSuggestion(ofStill: id) }
    public func stillsWithoutNeedleSuggestion(detector: String, storedSince since: Date?, limit: Int) async throws -> [UUID] {
        try await shared.stillsWithoutNeedleSuggestion(detector: detector, storedSince: since, limit: limit)
    }
    public func stillIDs(prefix: String, limit: Int) async throws -> [UUID] { try await shared.stillIDs(prefix: prefix, limit: limit) }
    public func search(_ query: StillSearch) async throws -> [StillSearchResult] { try await shared.search(query) }
    public func add(_ account: Account) async throws { try await shared.add(account) }
    public func update(_ account: Account) async throws { try await shared.update(account) }
    public func account(named name: String) async throws -> Account? { try await shared.account(named: name) }
    public func accounts() async throws -> [Account] { try await shared.accounts() }
    public func auditEvents(patient: String?, limit: Int) async throws -> [AuditEvent] { try await shared.auditEvents(patient: patient, limit: limit) }
    public func verifyAudit() async throws -> AuditVerification { try await shared.verifyAudit() }
    public func verify(repair: Bool, now: Date) async throws -> VerificationReport { try await shared.verify(repair: repair, now: now) }
    public func backup(to destination: URL) async throws -> ArchiveBackup.Manifest { try await shared.backup(to: destination) }
    public func insertIndexRows(patients: [Patient], sessions: [ProcedureSession], stills: [Still]) async throws {
        try await shared.insertIndexRows(patients: patients, sessions: sessions, stills: stills)
    }
    public func analyze() async throws { try await shared.analyze() }
}
