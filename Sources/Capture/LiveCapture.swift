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

        public init(input: MediaInput, realTime: Bool = false, lossless: Bool = false, analysisRate: Double = 30,
                    ringDuration: Double = 0.3, analysisBacklog: Int = 90) {
            self.input = input
            self.realTime = realTime
            self.lossless = lossless
            self.analysisRate = analysisRate
            self.ringDuration = ringDuration
            self.analysisBacklog = analysisBacklog
        }
    }

    public let configuration: Configuration
    public let archive: SQLiteArchive
    public let video: VideoInfo
    /// The recording's path inside the archive.
    public let recordingPath: String
    private let engine: Engine
    private let shared: Mutex<Shared>
    /// Made on the first preview request, at the picture's size.
    private let previewEncoder = Mutex<JPEGEncoder?>(nil)

    struct Shared {
        var session: ProcedureSession
        var counters = CaptureCounters()
        var timeline = TagTimeline([])
        var snapRequests: [Double] = []
        /// Wall clock and stream time of the newest frame, to turn a button press into stream time.
        var clock: (wall: Date, stream: Double)?
        var lastStills: [Still] = []
        /// The newest decoded frame, for the live preview.
        var latestFrame: Frame?
        var failure: String?
        var ended = false
        /// Everyone waiting for the end (the caller of `waitUntilEnded`, a `stop()`).
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Opens the source, registers the session as `recording` and starts the threads.
    ///
    /// - Throws: `MediaError` when the source cannot be opened (no such device, busy,
    ///   not a video) before anything is written; `ArchiveError` for an unknown patient.
    public init(configuration: Configuration, archive: SQLiteArchive, session: ProcedureSession) async throws {
        self.configuration = configuration
        self.archive = archive
        let source = try MediaSource(configuration.input)
        video = source.video
        let name = "recordings/\(session.id.uuidString.lowercased()).\(Recorder.fileExtension(for: source.video, lossless: configuration.lossless))"
        let url = archive.location.root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        recordingPath = url.path
        var recording = session
        recording.recording = try ArchivePath(name)
        let recorder = try Recorder(path: url.path, source: source, lossless: configuration.lossless)
        do {
            try await archive.add(recording)
        } catch {
            try? recorder.finish()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        shared = Mutex(Shared(session: recording))
        engine = try Engine(source: source, recorder: recorder, configuration: configuration)
        engine.start(owner: self)
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
    public func previewJPEG() throws -> (jpeg: Data, time: Double)? {
        guard let frame = shared.withLock({ $0.latestFrame }) else { return nil }
        let encoder = try previewEncoder.withLock { (encoder: inout JPEGEncoder?) throws -> JPEGEncoder in
            if let encoder, encoder.width == frame.width, encoder.height == frame.height { return encoder }
            let made = try JPEGEncoder(width: frame.width, height: frame.height)
            encoder = made
            return made
        }
        return (try encoder.encode(frame), frame.time ?? 0)
    }

    /// Stream time of the newest frame.
    public var elapsed: Double { shared.withLock { $0.clock?.stream ?? 0 } }
    public var isRunning: Bool { shared.withLock { !$0.ended } }

    /// Records what is on screen from now on (level, structure, side).
    public func tag(_ site: AnatomicSite, structure: TargetStructure.ID?, author: String) async throws -> TagEvent {
        let event = try shared.withLock { state in
            let time = state.clock.map { $0.stream + Date().timeIntervalSince($0.wall) } ?? 0
            let event = try TagEvent(time: max(0, time), site: site, structure: structure, author: author, source: .live)
            state.timeline.insert(event)
            return event
        }
        try await archive.add([event], toSession: session.id)
        return event
    }

    /// Asks for a still of what was on screen when the button was pressed, even if
    /// the request arrives late (up to the ring's half second).
    public func snap(pressedAt: Date = Date()) {
        shared.withLock { state in
            let time = state.clock.map { $0.stream + pressedAt.timeIntervalSince($0.wall) } ?? 0
            state.snapRequests.append(max(0, time))
        }
    }

    /// Stops reading, finishes the recording and marks the session completed (or
    /// failed, with the reason, when recording failed). Safe to call more than once.
    @discardableResult
    public func stop() async throws -> ProcedureSession {
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

    func update(_ body: (inout Shared) -> Void) {
        shared.withLock { body(&$0) }
    }

    func takeSnapRequests(upTo time: Double) -> [Double] {
        shared.withLock { state in
            let due = state.snapRequests.filter { $0 <= time }
            state.snapRequests.removeAll { $0 <= time }
            return due
        }
    }

    func store(_ still: StillFile) async {
        var still = still
        still.draft.sessionID = session.id
        still.draft.tag = shared.withLock { $0.timeline.tag(at: still.draft.time)?.tag }
        do {
            let stored = try await archive.addStill(still.draft, png: still.png)
            shared.withLock { state in
                state.counters.stills += 1
                state.lastStills = Array((state.lastStills + [stored]).suffix(8))
            }
        } catch {
            shared.withLock { $0.failure = $0.failure ?? "could not store a still: \(error)" }
        }
    }

    /// The threads are done: finish the record of the session.
    func engineEnded(recordingError: String?) async {
        var session = self.session
        let failure = recordingError ?? shared.withLock { $0.failure }
        let end = session.startedAt.addingTimeInterval(elapsed)
        if session.status == .recording {
            try? session.transition(to: failure == nil ? .completed : .failed, reason: failure, at: end)
            try? await archive.update(session)
        }
        let waiters = shared.withLock { state in
            state.session = session
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}
