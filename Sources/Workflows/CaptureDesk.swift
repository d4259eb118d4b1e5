import Anatomy
import Archive
import Capture
import Foundation
import Media
import Records

/// The tech's controls over one capture source: at most one session records at a time.
///
/// The workflow of a session at the table (start, or continue one cut short; tag, snap,
/// stop), for the tech page, the footswitch and the command line alike. Turns requests
/// into `LiveCapture` calls and failures into ``WorkflowError``s that say what would be
/// right; the server and the CLI only map them.
public actor CaptureDesk {
    public let archive: any ArchiveStore
    public let input: MediaInput
    /// Pace a file source as if live (the demo and the tests use a sample clip).
    public let realTime: Bool
    private var capture: LiveCapture?
    /// What the sessions before the current one counted, for totals over the daemon's life.
    private var finished = CaptureCounters()
    private var starting = false
    /// Ends the wait of a start whose source has not sent anything yet (a FIFO with no
    /// writer): a stop, or the daemon's shutdown, must not wait for it.
    private var opening: SourceInterrupt?

    /// Seconds a session waits without signal before it ends (the source is opened
    /// again meanwhile); settings: `[capture] no_signal_minutes`.
    public let noSignalLimit: Double

    /// Bytes the recording leaves free on the archive's volume (nil: ``DiskSpace/defaultReserve(at:)``).
    public let diskReserve: Int64

    /// Tells the RIS of each session's start and end (MPPS); nil when none is configured.
    public let procedureSteps: ProcedureStepReporter?

    public init(archive: any ArchiveStore, input: MediaInput, realTime: Bool, noSignalLimit: Double = 30 * 60, diskReserve: Int64? = nil,
                procedureSteps: ProcedureStepReporter? = nil) {
        self.archive = archive
        self.procedureSteps = procedureSteps
        self.input = input
        self.realTime = realTime
        self.noSignalLimit = noSignalLimit
        self.diskReserve = diskReserve ?? DiskSpace.defaultReserve(at: archive.location.root.path)
    }

    public func start(_ request: StartRequest) async throws -> StatusResponse {
        if let capture, capture.isRunning {
            throw WorkflowError(.conflict, "a session is already recording (\(capture.session.id.uuidString.lowercased().prefix(8))): stop it first")
        }
        // The actor runs other calls at each await below: without this mark, two starts
        // sent together would both pass the check above and each open the source.
        guard !starting else {
            throw WorkflowError(.conflict, "a session is starting: wait for it, then stop it before starting another")
        }
        starting = true
        defer { starting = false }
        // Refused before anything is opened or written, naming the disk as the cause.
        if let free = DiskSpace.free(at: archive.location.root.path), free <= diskReserve {
            throw WorkflowError(.insufficientStorage, "the archive's disk (\(archive.location.root.path)) has \(free >> 20) MB free, no more than the \(diskReserve >> 20) MB kept for the archive itself: free space there before recording")
        }
        let session = try await newSession(request)
        // The session before this one is over: its counts join the daemon's totals.
        if let capture { finished = finished + capture.counters }
        let opening = SourceInterrupt()
        self.opening = opening
        defer { self.opening = nil }
        do {
            capture = try await LiveCapture(configuration: .init(input: input, realTime: realTime, reopensSource: LiveCapture.Configuration.comesBack(input),
                                                                 noSignalLimit: noSignalLimit, diskReserve: diskReserve),
                                            archive: archive, session: session, interrupt: opening)
        } catch let error as MediaError where opening.isInterrupted {
            throw WorkflowError(.conflict, "stopped before the source sent a picture (\(error.message)): nothing was recorded")
        } catch let error as MediaError {
            throw WorkflowError(error.kind == .deviceBusy ? .conflict : .unavailable, error.description)
        }
        // The order goes in once the session is in the archive; a continuation takes its
        // first part's. Recording goes on if it cannot be kept: the order can be set again.
        var order = request.order
        if order == nil, let continues = request.continues.flatMap(UUID.init(uuidString:)) {
            order = try? await archive.order(ofSession: continues)
        }
        currentOrder = order
        if let reporter = procedureSteps, let capture {
            // Off the start's path: queuing reads the patient and writes a file.
            Task {
                await reporter.started(session, order: order)
                await capture.waitUntilEnded()
                await reporter.ended(capture.session)
            }
        }
        if let order {
            do {
                try await archive.setOrder(order, ofSession: session.id)
            } catch {
                currentOrder = nil
                throw WorkflowError(.unavailable, "recording, but the RIS order \(order.accessionNumber) was not kept with the session (\(error)): its exports will not carry it")
            }
        }
        return status()
    }

    /// The session a start request asks for: a new procedure for a patient, or the next
    /// part of one that was cut short.
    private func newSession(_ request: StartRequest) async throws -> ProcedureSession {
        let planner = SessionPlanner(archive: archive)
        if let continues = request.continues {
            return try await planner.continuation(of: continues, patient: request.patient, tech: request.tech)
        }
        guard let patient = request.patient else {
            throw WorkflowError(.invalid, "say which patient the session is for, or which session cut short it continues")
        }
        return try await planner.newProcedure(patient: patient, treatment: request.treatment, physician: request.physician,
                                              tech: request.tech, indication: request.indication)
    }

    /// Stops the running session; a repeated stop just answers with the status.
    ///
    /// - Parameter interruption: why, when it is not the tech who stops it (the daemon
    ///   shutting down): the session ends interrupted and can be continued.
    public func stop(interruption: String? = nil) async throws -> StatusResponse {
        opening?.interrupt()
        if let capture, capture.isRunning {
            try await capture.stop(interruption: interruption)
        }
        return status()
    }

    /// The last session of an earlier run, when it was cut short: shown to the tech until
    /// a session starts. Read once at start-up, after interrupted sessions are marked.
    private var earlierContinuable: ContinuableSession?
    /// The RIS order of the session recording now, if it came from the worklist.
    private var currentOrder: ScheduledOrder?

    public func recallContinuableSession() async throws {
        earlierContinuable = try await archive.continuableSession(startedAfter: Date().addingTimeInterval(-SessionPlanner.continuationWindow)).map {
            ContinuableSession($0.session, stills: $0.stillCount)
        }
    }

    /// The session the tech may continue now: the one this desk ran last, else the one
    /// recalled from the run before; none while recording.
    private var continuable: ContinuableSession? {
        guard let capture else { return earlierContinuable }
        guard !capture.isRunning, capture.session.canBeContinued else { return nil }
        return ContinuableSession(capture.session, stills: capture.counters.stills)
    }

    public func tag(_ request: TagRequest, author: String, source: TagEvent.Source = .live) async throws -> TagResponse {
        guard let capture, capture.isRunning else {
            throw WorkflowError(.conflict, "no session is recording: start one before tagging")
        }
        var site: AnatomicSite
        var structure: TargetStructure.ID?
        do {
            site = try AnatomicSite(parsing: request.site)
            if let side = request.side, site.laterality == nil { site.laterality = try Laterality(parsing: side) }
            structure = try request.structure.map { try TargetStructure(parsing: $0).id }
        } catch {
            throw WorkflowError(.invalid, "\(error)")
        }
        let event = try await capture.tag(site, structure: structure, author: author, source: source)
        return TagResponse(time: event.time, tag: event.tag.description)
    }

    /// The tag in effect in the session recording now, if any.
    public func tagInEffect() -> (site: AnatomicSite, structure: TargetStructure.ID?)? {
        guard let capture, capture.isRunning, let event = capture.currentTag else { return nil }
        return (event.site, event.structure)
    }

    public func snap(pressedAt: Date) throws -> StatusResponse {
        guard let capture, capture.isRunning else {
            throw WorkflowError(.conflict, "no session is recording: start one before taking stills")
        }
        capture.snap(pressedAt: pressedAt)
        return status()
    }

    /// The frame on screen now as PNG, or nil when nothing is recording. Encoded on
    /// ``WorkerPool/pictures``: the desk (and the tech's next press) does not wait for it.
    public func preview(pool: WorkerPool = .pictures) async throws -> Data? {
        guard let capture, capture.isRunning else { return nil }
        return try await pool.run { try capture.preview() }
    }

    public var isRecording: Bool { capture?.isRunning ?? false }
    /// The session recording now, if any.
    public var sessionRecording: UUID? { capture?.isRunning == true ? capture?.session.id : nil }
    /// The tech of the session recording now: whom the station's footswitch and command line act for.
    public var techAtTable: String? { capture?.isRunning == true ? capture?.session.tech : nil }

    /// The frame on screen now as JPEG with its stream time, or nil when nothing records;
    /// encoded on ``WorkerPool/pictures`` (viewers of the same frame share one encode).
    public func previewJPEG(pool: WorkerPool = .pictures) async throws -> (jpeg: Data, time: Double)? {
        guard let capture, capture.isRunning else { return nil }
        return try await pool.run { try capture.previewJPEG() }
    }

    public func status() -> StatusResponse {
        let running = capture?.isRunning ?? false
        let counters = capture?.counters ?? CaptureCounters()
        let elapsed = capture?.elapsed ?? 0
        let free = DiskSpace.free(at: archive.location.root.path)
        let health = running ? capture?.health : nil
        return StatusResponse(
            state: running ? .recording : .idle,
            session: capture?.session.id.uuidString.lowercased(),
            sessionStatus: capture?.session.status,
            patient: capture?.session.patientID.value,
            elapsed: elapsed,
            framesPerSecond: health?.framesPerSecond ?? 0,
            counters: counters,
            currentTag: running ? capture?.currentTag?.tag.description : nil,
            freeDiskBytes: free,
            lastStills: (capture?.lastStills ?? []).map {
                StillSummary(id: $0.id.uuidString.lowercased(), time: $0.time, reason: $0.reason.rawValue, tag: $0.tag?.description)
            },
            source: health,
            disk: running ? capture?.disk : free.map { DiskSpace(freeBytes: $0, reserveBytes: diskReserve, bytesPerSecond: nil) },
            statusReason: capture?.session.statusReason,
            archive: capture?.archiveBacklog,
            journal: archive.journalStatus(),
            continuable: continuable,
            totals: finished + counters,
            order: running ? currentOrder : nil,
            ris: procedureSteps?.backlog)
    }
}

extension ContinuableSession {
    init(_ session: ProcedureSession, stills: Int) {
        self.init(session: session.id.uuidString.lowercased(), patient: session.patientID.value, part: session.part,
                  status: session.status, reason: session.statusReason, startedAt: session.startedAt,
                  endedAt: session.endedAt, stills: stills)
    }
}
