import Anatomy
import Archive
import Capture
import Foundation
import Hummingbird
import Media
import Records

/// The tech's controls over one capture source: at most one session records at a time.
///
/// Turns control requests into `LiveCapture` calls and their failures into HTTP
/// errors that say what would be right (400 for bad input, 404 for an unknown
/// patient, 409 for a request the state does not allow).
public actor CaptureDesk {
    public let archive: SQLiteArchive
    public let input: MediaInput
    /// Pace a file source as if live (the demo and the tests use a sample clip).
    public let realTime: Bool
    private var capture: LiveCapture?
    private var starting = false
    /// Ends the wait of a start whose source has not sent anything yet (a FIFO with no
    /// writer): a stop, or the daemon's shutdown, must not wait for it.
    private var opening: SourceInterrupt?

    /// Seconds a session waits without signal before it ends (the source is opened
    /// again meanwhile); settings: `[capture] no_signal_minutes`.
    public let noSignalLimit: Double

    /// Bytes the recording leaves free on the archive's volume (nil: ``DiskSpace/defaultReserve(at:)``).
    public let diskReserve: Int64

    public init(archive: SQLiteArchive, input: MediaInput, realTime: Bool, noSignalLimit: Double = 30 * 60, diskReserve: Int64? = nil) {
        self.archive = archive
        self.input = input
        self.realTime = realTime
        self.noSignalLimit = noSignalLimit
        self.diskReserve = diskReserve ?? DiskSpace.defaultReserve(at: archive.location.root.path)
    }

    public func start(_ request: StartRequest) async throws -> StatusResponse {
        if let capture, capture.isRunning {
            throw HTTPError(.conflict, message: "a session is already recording (\(capture.session.id.uuidString.lowercased().prefix(8))): stop it first")
        }
        // The actor runs other calls at each await below: without this mark, two starts
        // sent together would both pass the check above and each open the source.
        guard !starting else {
            throw HTTPError(.conflict, message: "a session is starting: wait for it, then stop it before starting another")
        }
        starting = true
        defer { starting = false }
        // Refused before anything is opened or written, naming the disk as the cause.
        if let free = DiskSpace.free(at: archive.location.root.path), free <= diskReserve {
            throw HTTPError(.init(code: 507, reasonPhrase: "Insufficient Storage"), message: "the archive's disk (\(archive.location.root.path)) has \(free >> 20) MB free, no more than the \(diskReserve >> 20) MB kept for the archive itself: free space there before recording")
        }
        let treatment = try Self.treatment(request.treatment ?? "1/1")
        let patientID: PatientID
        do {
            patientID = try PatientID(request.patient)
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
        guard try await archive.patient(patientID) != nil else {
            throw HTTPError(.notFound, message: "no patient \(patientID): add the patient first")
        }
        let session = try ProcedureSession(patientID: patientID, startedAt: Date(), physician: request.physician ?? "physician",
                                           tech: request.tech ?? "tech", indication: request.indication ?? "", treatment: treatment)
        let opening = SourceInterrupt()
        self.opening = opening
        defer { self.opening = nil }
        do {
            capture = try await LiveCapture(configuration: .init(input: input, realTime: realTime, reopensSource: LiveCapture.Configuration.comesBack(input),
                                                                 noSignalLimit: noSignalLimit, diskReserve: diskReserve),
                                            archive: archive, session: session, interrupt: opening)
        } catch let error as MediaError where opening.isInterrupted {
            throw HTTPError(.conflict, message: "stopped before the source sent a picture (\(error.message)): nothing was recorded")
        } catch let error as MediaError {
            let status: HTTPResponse.Status = [.deviceBusy].contains(error.kind) ? .conflict : .serviceUnavailable
            throw HTTPError(status, message: error.description)
        }
        return status()
    }

    /// Stops the running session; a repeated stop just answers with the status.
    public func stop() async throws -> StatusResponse {
        opening?.interrupt()
        if let capture, capture.isRunning {
            try await capture.stop()
        }
        return status()
    }

    public func tag(_ request: TagRequest, author: String) async throws -> TagResponse {
        guard let capture, capture.isRunning else {
            throw HTTPError(.conflict, message: "no session is recording: start one before tagging")
        }
        var site: AnatomicSite
        var structure: TargetStructure.ID?
        do {
            site = try AnatomicSite(parsing: request.site)
            if let side = request.side, site.laterality == nil { site.laterality = try Laterality(parsing: side) }
            structure = try request.structure.map { try TargetStructure(parsing: $0).id }
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
        let event = try await capture.tag(site, structure: structure, author: author)
        return TagResponse(time: event.time, tag: event.tag.description)
    }

    public func snap(pressedAt: Date) throws -> StatusResponse {
        guard let capture, capture.isRunning else {
            throw HTTPError(.conflict, message: "no session is recording: start one before taking stills")
        }
        capture.snap(pressedAt: pressedAt)
        return status()
    }

    /// The frame on screen now as PNG, or nil when nothing is recording.
    public func preview() throws -> Data? {
        guard let capture, capture.isRunning else { return nil }
        return try capture.preview()
    }

    public var isRecording: Bool { capture?.isRunning ?? false }

    /// The frame on screen now as JPEG with its stream time, or nil when nothing records.
    public func previewJPEG() throws -> (jpeg: Data, time: Double)? {
        guard let capture, capture.isRunning else { return nil }
        return try capture.previewJPEG()
    }

    public func status() -> StatusResponse {
        let running = capture?.isRunning ?? false
        let counters = capture?.counters ?? CaptureCounters()
        let elapsed = capture?.elapsed ?? 0
        let free = DiskSpace.free(at: archive.location.root.path)
        let health = running ? capture?.health : nil
        return StatusResponse(
            state: running ? "recording" : "idle",
            session: capture?.session.id.uuidString.lowercased(),
            sessionStatus: capture?.session.status.rawValue,
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
            archive: capture?.archiveBacklog)
    }

    static func treatment(_ text: String) throws -> TreatmentNumber {
        do {
            return try TreatmentNumber(parsing: text)
        } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }
}
