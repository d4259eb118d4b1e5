import Anatomy
import Archive
import Foundation
import Media
import Records
import Synchronization

/// Records a live source (capture card, pipe, or a file paced as if live) into a
/// session: every packet into a crash-safe recording, stills at freezes and on
/// request, each carrying the tag in force.
///
/// Two threads, so a slow stage never holds up the source:
/// - the **reader** takes each packet from the source and writes it to the recording
///   at once (encoding first when the source is raw), then offers it to analysis
///   through a bounded queue; when the queue is full, analysis skips packets up to
///   the next keyframe and counts them. The recording never loses a packet.
/// - **analysis** decodes, keeps the last 300 ms of frames for late snap requests,
///   detects freezes and encodes stills; storing them runs on a task of its own.
public final class LiveCapture: Sendable {
    public struct Configuration: Sendable {
        public var input: MediaInput
        /// Pace a file by its timestamps, as a live source would arrive (`ffmpeg -re`).
        public var realTime: Bool
        /// Record raw sources losslessly (FFV1) instead of H.264.
        public var lossless: Bool
        /// Frames a second freeze detection looks at.
        public var analysisRate: Double
        /// How far back a snap request can reach (a footswitch event 200 ms late, with margin).
        public var ringDuration: Double
        /// Packets waiting for analysis before it starts skipping.
        public var analysisBacklog: Int
        /// Open the source again when it ends or fails, recording what returns as the next
        /// part of the session: a device, or a FIFO's next writer. The daemon asks for it
        /// (``comesBack(_:)``); off, the source's end is the session's end, as for a file.
        public var reopensSource: Bool
        /// How long a session waits without signal before it ends, in seconds.
        public var noSignalLimit: Double
        /// Frames a second a producer is known to send exactly, for a stream without
        /// timestamps; nil stamps each picture on arrival.
        public var declaredRate: Double?
        /// Bytes the recording leaves free on the archive's volume; nil for
        /// ``DiskSpace/defaultReserve(at:)``. Recording stops at this line.
        public var diskReserve: Int64?

        public init(input: MediaInput, realTime: Bool = false, lossless: Bool = false, analysisRate: Double = 30,
                    ringDuration: Double = 0.3, analysisBacklog: Int = 90, reopensSource: Bool = false,
                    noSignalLimit: Double = 30 * 60, declaredRate: Double? = nil, diskReserve: Int64? = nil) {
            self.input = input
            self.realTime = realTime
            self.lossless = lossless
            self.analysisRate = analysisRate
            self.ringDuration = ringDuration
            self.analysisBacklog = analysisBacklog
            self.reopensSource = reopensSource
            self.noSignalLimit = noSignalLimit
            self.declaredRate = declaredRate
            self.diskReserve = diskReserve
        }

        /// A device, or a named FIFO: something that can come back after it ends (a file
        /// or standard input cannot).
        public static func comesBack(_ input: MediaInput) -> Bool {
            switch input {
            case .file: false
            case .device: true
            case .pipe(let path, _, _): path != "-" && !path.hasPrefix("pipe:")
            }
        }
    }

    public let configuration: Configuration
    public let archive: any ArchiveStore
    public let video: VideoInfo
    /// The recording's path inside the archive.
    public let recordingPath: String
    private let engine: Engine
    private let shared: Mutex<Shared>
    /// Every archive write of the session, in order, off the capture's path.
    let writes = ArchiveWriteQueue()
    /// The last JPEG of the live picture, shared by every viewer; its lock makes them take turns to encode.
    private let previewEncoder = Mutex<PreviewState>(PreviewState())

    struct PreviewState {
        var last: (time: Double, jpeg: Data)?
        var madeAt: ContinuousClock.Instant?
        /// The number of the preview copy the last JPEG was made from.
        var copy = 0
    }

    struct Shared {
        var session: ProcedureSession
        var counters = CaptureCounters()
        var timeline = TagTimeline([])
        var snapRequests: [Double] = []
        /// The wall clock when the session's clock read 0.
        var origin: Date
        /// The newest packet: when it arrived on the wall clock, its session time, and its
        /// arrival on the session clock (their difference is the source clock's drift).
        var lastPacket: (wall: Date, time: Double, arrival: Double)?
        var latestFrameTime = 0.0
        var rate = RateMeter()
        var clockRebases = 0
        /// Set while the source is gone and being opened again.
        var signalLostAt: Date?
        /// Counts losses of signal, so a timer set for one loss ignores the next.
        var losses = 0
        /// Parts recorded: 1, plus one each time the source came back.
        var parts = 1
        /// Room on the archive's disk, measured about once a second by the reader.
        var disk: DiskSpace?
        var lastStills: [Still] = []
        /// The newest decoded frame, for the PNG preview (and the live picture once the
        /// source has stopped delivering).
        var latestFrame: Frame?
        /// A viewer of the live picture waits for the next frame: the analysis thread makes
        /// a small copy of it (``previewFrame``), numbered in ``previewCopies``.
        var previewWanted = false
        var previewFrame: Frame?
        var previewCopies = 0
        var failure: String?
        /// Why the session is being stopped before the tech ended it (the daemon shutting
        /// down): it ends `interrupted`, to be continued as a next part.
        var interruption: String?
        var ended = false
        /// Everyone waiting for the end (the caller of `waitUntilEnded`, a `stop()`).
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Opens the source, registers the session as `recording` and starts the threads.
    ///
    /// - Parameter interrupt: ends the wait for the source (a FIFO whose writer has not
    ///   come yet) from another task, and later stops the capture as `stop()` does.
    /// - Throws: `MediaError` when the source cannot be opened (no such device, busy,
    ///   not a video, interrupted) before anything is written; `ArchiveError` for an
    ///   unknown patient.
    public init(configuration: Configuration, archive: any ArchiveStore, session: ProcedureSession,
                interrupt interruption: SourceInterrupt = SourceInterrupt()) async throws {
        self.configuration = configuration
        self.archive = archive
        let origin = ContinuousClock.now
        let originWall = Date()
        let source = try await Self.open(configuration.input, interrupt: interruption)
        video = source.video
        let name = "recordings/\(session.id.uuidString.lowercased()).\(Recorder.fileExtension(for: source.video, lossless: configuration.lossless))"
        let url = archive.location.root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        recordingPath = url.path
        var recording = session
        recording.recording = try ArchivePath(name)
        let recorder = try Recorder(path: url.path, source: source, lossless: configuration.lossless)
        do {
            // A read, which another program's write lock does not block: an unknown
            // patient is refused at once whatever the database is doing.
            guard try await archive.patient(session.patientID) != nil else {
                throw ArchiveError(.notFound, "no patient \(session.patientID): add the patient first", remedy: .addPatient)
            }
            let row = recording
            try writes.enqueue("add the session") { try await archive.add(row) }
            // Usually written at once. A database held locked by another program does not
            // hold up the recording: the session's row (and all after it) lands when it lets go.
            if await writes.drain(until: .now + .seconds(1.5)).isEmpty, let failed = writes.failures.first {
                throw ArchiveError(.storage, failed)
            }
        } catch {
            try? recorder.finish()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        shared = Mutex(Shared(session: recording, origin: originWall))
        engine = try Engine(source: source, interruption: interruption, recorder: recorder, configuration: configuration, origin: origin,
                            archiveRoot: archive.location.root.path,
                            diskReserve: configuration.diskReserve ?? DiskSpace.defaultReserve(at: archive.location.root.path))
        engine.start(owner: self)
    }

    /// Opens a source on a thread of its own: the open blocks (a FIFO waits for its
    /// writer, a device for its driver), and a blocked task would hold one of the few
    /// threads every request of the daemon shares.
    private static func open(_ input: MediaInput, interrupt: SourceInterrupt) async throws -> MediaSource {
        // Written by the opening thread before it resumes the continuation, read only after
        // the await returns: the resume orders the two, so no lock is needed.
        final class Opened: @unchecked Sendable { var source: MediaSource? }
        let opened = Opened()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    opened.source = try MediaSource(input, interrupt: interrupt)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "needlelog-open"
            thread.start()
        }
        return opened.source!
    }

    // MARK: - The tech's controls

    /// The session as it stands.
    public var session: ProcedureSession { shared.withLock { $0.session } }
    public var counters: CaptureCounters { shared.withLock { $0.counters } }
    /// The tag in force now.
    public var currentTag: TagEvent? { shared.withLock { $0.timeline.events.last } }
    public var lastStills: [Still] { shared.withLock { $0.lastStills } }

    /// What is on screen now, as a PNG for the tech's page (fast compression, full size).
    public func preview() throws -> Data? {
        guard let frame = shared.withLock({ $0.latestFrame }) else { return nil }
        let image = try PixelConverter().image(from: frame, format: frame.carriesColor() ? .rgb24 : .gray8)
        return try PNG.encode(image, options: .fast)
    }
    /// What is on screen now as JPEG, with its stream time, for the page's live stream;
    /// nil when no frame has been decoded yet.
    ///
    /// Every viewer of the stream shares one encode per frame: a JPEG younger than a
    /// fifteenth of a second is everyone's, and an encode in progress holds the others until
    /// it is done rather than running beside it. The picture encoded is a small copy the
    /// analysis thread makes of the next frame it decodes (``LiveCapture/Engine`` stages it
    /// on request), so no viewer ever holds a full-size decoded frame while the decoder goes
    /// on: that would grow the decoder's buffer pool by a frame for good.
    public func previewJPEG() throws -> (jpeg: Data, time: Double)? {
        try previewEncoder.withLock { state throws -> (jpeg: Data, time: Double)? in
            // Viewers poll out of step, each finding a newer frame of a 60 fps source: the
            // encodes stay at most 15 a second whatever the number of viewers.
            if let last = state.last, let made = state.madeAt, ContinuousClock.now - made < .milliseconds(66) {
                return (last.jpeg, last.time)
            }
            let seen = state.copy
            shared.withLock { $0.previewWanted = true }
            // The next decoded frame comes within a frame's time (17 ms at 60 fps); a source
            // that sends nothing for 150 ms has stopped (lost, ended, paused).
            let deadline = ContinuousClock.now + .milliseconds(150)
            var copy: (frame: Frame, number: Int)?
            while true {
                copy = shared.withLock { shared in
                    guard shared.previewCopies > seen, let frame = shared.previewFrame else { return nil }
                    // The viewer's now: the 0.8 MB go with its JPEG.
                    shared.previewFrame = nil
                    return (frame, shared.previewCopies)
                }
                if copy != nil || ContinuousClock.now >= deadline { break }
                usleep(2_000)
            }
            let frame: Frame
            if let copy {
                frame = copy.frame
                state.copy = copy.number
            } else {
                // Nothing is being decoded: the newest frame can be held without cost.
                shared.withLock { $0.previewWanted = false }
                guard let latest = shared.withLock({ $0.latestFrame }) else { return state.last.map { ($0.jpeg, $0.time) } }
                if let last = state.last, latest.time == last.time { return (last.jpeg, last.time) }
                frame = latest
            }
            // An encoder for this picture alone: FFmpeg's MJPEG encoder keeps its last three
            // pictures (2.7 MB at 960x540) for as long as it lives, though no JPEG needs them;
            // made afresh (well under a millisecond) its memory is back when the JPEG is.
            let size = Self.previewSize(width: frame.width, height: frame.height)
            let jpeg = try JPEGEncoder(width: size.width, height: size.height).encode(frame)
            let time = frame.time ?? state.last?.time ?? 0
            state.last = (time, jpeg)
            state.madeAt = .now
            return (jpeg, time)
        }
    }

    /// The live picture's size: the screen's, scaled down to fit 960x540 (a 1080p or 2160p
    /// capture) with its shape kept and even sides. The tech page shows it in a panel beside
    /// its controls, never full size (the scanner's own screen is at the table); at 1080p
    /// the encoder's buffers and its CPU shrink to a quarter. Stills and the recording keep
    /// every pixel.
    public static func previewSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let scale = min(1, 960 / Double(max(width, 1)), 540 / Double(max(height, 1)))
        guard scale < 1 else { return (width, height) }
        func even(_ side: Double) -> Int { max(2, Int((side / 2).rounded()) * 2) }
        return (even(Double(width) * scale), even(Double(height) * scale))
    }

    /// Session time now: the wall clock since the session's clock started.
    public var elapsed: Double { shared.withLock { $0.sessionTime(at: Date()) } }
    public var isRunning: Bool { shared.withLock { !$0.ended } }

    /// Records what is on screen from now on (level, structure, side).
    /// Returns at once: the archive write queues behind the session's others.
    /// - Throws: `ArchiveError(.busy)` when the database has refused writes so long that
    ///   no more can wait.
    public func tag(_ site: AnatomicSite, structure: TargetStructure.ID?, author: String, source: TagEvent.Source = .live) async throws -> TagEvent {
        let time = shared.withLock { $0.sessionTime(at: Date()) }
        let event = try TagEvent(time: max(0, time), site: site, structure: structure, author: author, source: source)
        let sessionID = session.id
        try writes.enqueue("add a tag") { [archive] in try await archive.add([event], toSession: sessionID) }
        shared.withLock { $0.timeline.insert(event) }
        return event
    }

    /// Asks for a still of what was on screen when the button was pressed, even if
    /// the request arrives late (up to the ring's half second).
    public func snap(pressedAt: Date = Date()) {
        shared.withLock { state in
            state.snapRequests.append(max(0, state.sessionTime(at: pressedAt)))
        }
    }

    /// Stops reading, finishes the recording and marks the session completed (or
    /// failed, with the reason, when recording failed). Safe to call more than once.
    ///
    /// - Parameter interruption: why the procedure is cut short, when it is not the tech
    ///   who ends it (`the daemon was stopped`): the session ends `interrupted`, with this
    ///   reason, and can be continued as the next part.
    @discardableResult
    public func stop(interruption: String? = nil) async throws -> ProcedureSession {
        if let interruption { shared.withLock { $0.interruption = $0.interruption ?? interruption } }
        engine.interrupt()
        await waitUntilEnded()
        return session
    }

    /// Returns when the source has ended (a file or pipe reaching its end) or `stop()` ran.
    public func waitUntilEnded() async {
        await withCheckedContinuation { continuation in
            // Checked and registered under one lock, so the end cannot slip in between.
            let ended = shared.withLock { state in
                if !state.ended { state.waiters.append(continuation) }
                return state.ended
            }
            if ended { continuation.resume() }
        }
    }

    // MARK: - Called by the engine

    @discardableResult
    func update<Result>(_ body: (inout Shared) -> Result) -> Result {
        shared.withLock { body(&$0) }
    }

    func takeSnapRequests(upTo time: Double) -> [Double] {
        shared.withLock { state in
            let due = state.snapRequests.filter { $0 <= time }
            state.snapRequests.removeAll { $0 <= time }
            return due
        }
    }

    func store(_ still: StillFile) {
        var draft = still.draft
        draft.sessionID = session.id
        draft.tag = shared.withLock { $0.timeline.tag(at: draft.time)?.tag }
        do {
            try writes.enqueue("store a still", bytes: still.png.count) { [self, draft] in
                let stored = try await archive.addStill(draft, png: still.png)
                update { state in
                    state.counters.stills += 1
                    state.lastStills = Array((state.lastStills + [stored]).suffix(8))
                }
            }
        } catch {
            shared.withLock { $0.failure = $0.failure ?? "could not store a still: \(error)" }
        }
    }

    /// Archive writes waiting for the database (nonzero while another program holds it).
    public var archiveBacklog: ArchiveBacklog { writes.backlog }

    /// How long the end of a session waits for archive writes held up by another
    /// program's lock: short enough that SIGTERM still ends the daemon within 5 s.
    static let archiveWait = Duration.seconds(2)

    /// The threads are done: finish the record of the session, changing only what the
    /// recorder owns (status, reason, end), so edits made while it recorded are kept.
    /// Writes still waiting for a locked database get a few seconds; what has not landed
    /// then stays queued (it lands if the process lives on, as the daemon does) and is
    /// reported. A session whose end did not land stays `recording` in the archive, and
    /// the next start marks it interrupted.
    func engineEnded(_ ending: Ending) async {
        let deadline = ContinuousClock.now + Self.archiveWait
        // Stills and tags first: a still that could not be stored fails the session.
        _ = await writes.drain(until: deadline)
        let (status, reason): (ProcedureSession.Status, String?) = shared.withLock { state in
            if state.failure == nil, let failed = writes.failures.first { state.failure = failed }
            return switch ending {
            case .stopped: state.failure.map { (.failed, $0) } ?? state.interruption.map { (.interrupted, $0) } ?? (.completed, nil)
            case .recordingFailed(let why): (.failed, why)
            case .sourceLost(let why): (.completed, why)
            }
        }
        let current = session
        let end = current.startedAt.addingTimeInterval(elapsed)
        if let reason { Engine.log("session ended \(status.rawValue): \(reason)") }
        let id = current.id
        do {
            try writes.enqueue("record the end of the session") { [self] in
                do {
                    let region = update { $0.timeline.events.mostTaggedRegion }
                    let ended = try await archive.endSession(id, as: status, reason: reason, at: end, region: region)
                    update { $0.session = ended }
                } catch let error as ArchiveError where error.kind == .busy {
                    throw error   // tried again by the queue
                } catch {
                    update { $0.failure = $0.failure ?? "the archive could not record the end of the session (\(error)); it will be marked interrupted at the next start" }
                    throw error
                }
            }
        } catch {
            shared.withLock { $0.failure = $0.failure ?? "\(error)" }
        }
        let waiting = await writes.drain(until: deadline)
        if !waiting.isEmpty {
            let why = writes.backlog.cause ?? "the database refuses writes"
            Engine.log("\(waiting.count) archive writes still wait (\(why)); they land when the database lets go, unless this process ends first")
            shared.withLock { state in
                state.failure = state.failure ?? "\(waiting.count) archive writes still wait for the database (\(why)): they land when it lets go while the daemon runs; if it stops first, the session is marked interrupted at the next start"
            }
        }
        let waiters = shared.withLock { state in
            // The record's end where it landed; else the same end, in memory only.
            if state.session.status == .recording {
                // recording -> a final status at or after the start cannot be refused.
                try? state.session.transition(to: status, reason: reason, at: end)
                if state.session.region == nil { state.session.region = state.timeline.events.mostTaggedRegion }
            }
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    // MARK: - The source's health

    /// A loss of signal begins (the source ended or failed and is being opened again).
    /// Returns the loss's number, for the timer that ends a session lost for too long.
    func signalLost() -> Int {
        shared.withLock { state in
            state.losses += 1
            if state.signalLostAt == nil { state.signalLostAt = Date() }
            return state.losses
        }
    }

    func isStillLost(_ loss: Int) -> Bool {
        shared.withLock { $0.signalLostAt != nil && $0.losses == loss }
    }

    /// Room on the archive's disk at the recording's rate; nil before the first measure.
    public var disk: DiskSpace? { shared.withLock { $0.disk } }

    /// How the source is doing, for `status`, the tech page and the metrics.
    public var health: SourceHealth {
        shared.withLock { state in
            let now = Date()
            // A source that is open but sends nothing (a stalled pipe, a card without
            // lock) counts as lost after a second without a packet.
            // Silent since the last packet, or since the start when none came in 3 s.
            let silentSince = state.lastPacket.map(\.wall) ?? state.origin
            let grace = state.lastPacket == nil ? 3.0 : 1.0
            let lostSince = state.signalLostAt ?? (!state.ended && now.timeIntervalSince(silentSince) > grace ? silentSince : nil)
            return SourceHealth(signal: lostSince == nil, noSignalSeconds: lostSince.map { now.timeIntervalSince($0) } ?? 0,
                                parts: state.parts, framesPerSecond: state.rate.framesPerSecond,
                                drift: state.lastPacket.map { $0.time - $0.arrival } ?? 0, clockRebases: state.clockRebases,
                                lastFrameTime: state.latestFrameTime)
        }
    }
}

extension LiveCapture.Shared {
    /// A moment on the wall clock as session time: through the newest packet where there
    /// is one (so a source clock that drifts from the wall still maps onto its pictures),
    /// else from the session's start.
    func sessionTime(at date: Date) -> Double {
        if let last = lastPacket, signalLostAt == nil {
            return max(0, last.time + date.timeIntervalSince(last.wall))
        }
        return max(0, date.timeIntervalSince(origin))
    }
}
