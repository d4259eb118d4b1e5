import Archive
import Foundation
import Media
import Records
import Synchronization

extension LiveCapture {
    /// The two threads of a live capture and the FFmpeg objects each one owns.
    ///
    /// `@unchecked Sendable` because its parts are confined, not locked: the reader
    /// thread alone touches the source it reads, `recorder`, `rawDecoder` and the session
    /// clock; the analysis thread alone touches `decoder`, `ring`, `pipeline` and `previewConverter`.
    /// They meet only in `packets` (a locked queue), `current` (the source a stop must
    /// interrupt) and the capture's `Shared` state (a mutex).
    final class Engine: @unchecked Sendable {
        let recorder: Recorder
        let configuration: Configuration
        let packets: BoundedQueue<AnalysisItem>
        var decoder: VideoDecoder
        /// Encode modes need frames on the reader thread: raw video "decodes" by copying.
        var rawDecoder: VideoDecoder?
        var ring: FrameRing<Shown>
        var pipeline: AnalysisPipeline
        /// Scales the live picture's copies (``copyForPreview``).
        let previewConverter = PixelConverter()
        let stillsOut: AsyncStream<StillFile>.Continuation
        private let stillsIn: AsyncStream<StillFile>
        private let threadsDone = DispatchGroup()
        /// The source the session starts with; the reader opens the later parts itself.
        let firstSource: MediaSource
        /// Stops the source being read, or being opened again, whichever part it is.
        let interruption: SourceInterrupt
        let stopRequested = Atomic<Bool>(false)
        /// When the session's clock started (the source was being opened).
        let origin: ContinuousClock.Instant
        /// The archive's folder, whose volume the reader watches, and the bytes it keeps free.
        let archiveRoot: String
        let diskReserve: Int64
        /// Written by the reader thread before it leaves `threadsDone`, read after the wait.
        private var ending: Ending?

        init(source: MediaSource, interruption: SourceInterrupt, recorder: Recorder, configuration: Configuration,
             origin: ContinuousClock.Instant, archiveRoot: String, diskReserve: Int64) throws {
            self.archiveRoot = archiveRoot
            self.diskReserve = diskReserve
            self.recorder = recorder
            self.configuration = configuration
            self.origin = origin
            self.interruption = interruption
            firstSource = source
            packets = BoundedQueue(capacity: configuration.analysisBacklog)
            decoder = try VideoDecoder(for: source)
            rawDecoder = recorder.mode == .copy ? nil : try VideoDecoder(for: source, threads: 1)
            // Decoded 1080p frames are 3-4 MB each: for an intra-only stream (MJPEG) the ring
            // holds packets instead, a twentieth of that, and decodes the one a snap picks.
            let rate = max(source.video.frameRate, 1)
            ring = FrameRing(duration: configuration.ringDuration, maximumCount: Int((configuration.ringDuration * max(rate, 60)).rounded(.up)) + 2)
            pipeline = AnalysisPipeline(analysisRate: configuration.analysisRate)
            (stillsIn, stillsOut) = AsyncStream.makeStream(of: StillFile.self)
        }

        /// Stops the capture: the blocked read (or a re-open waiting for the source) returns.
        func interrupt() {
            stopRequested.store(true, ordering: .sequentiallyConsistent)
            interruption.interrupt()
        }

        var isStopping: Bool { stopRequested.load(ordering: .sequentiallyConsistent) }

        func start(owner: LiveCapture) {
            threadsDone.enter()
            threadsDone.enter()
            let reader = Thread { [self] in
                ending = read(owner)
                packets.close()
                threadsDone.leave()
            }
            reader.name = "needlelog-reader"
            reader.qualityOfService = .userInteractive
            let analysis = Thread { [self] in
                analyse(owner)
                stillsOut.finish()
                threadsDone.leave()
            }
            analysis.name = "needlelog-analysis"
            reader.start()
            analysis.start()
            let stills = stillsIn
            Task { [self] in
                for await still in stills { owner.store(still) }
                await withCheckedContinuation { continuation in
                    threadsDone.notify(queue: .global()) { continuation.resume() }
                }
                await owner.engineEnded(ending ?? .stopped)
            }
        }
    }

    /// What was on screen at a moment, as the late-request ring keeps it: the decoded
    /// frame, or for an intra-only stream its packet, decoded only if a snap picks it.
    enum Shown {
        case frame(Frame, index: Int)
        case packet(Packet, index: Int)
    }

    /// What the reader hands analysis: a packet, or a new decoder for the packets of a
    /// source that came back after a loss of signal.
    enum AnalysisItem {
        case packet(Packet)
        case newPart(VideoDecoder)
    }

    /// Why the reader stopped.
    enum Ending: Equatable {
        /// A stop, or the end of a file or of standard input.
        case stopped
        /// The recording could not be written (disk full, I/O error, folder gone).
        case recordingFailed(String)
        /// The source stayed away longer than the limit, or came back as another kind of video.
        case sourceLost(String)
    }
}
