import Archive
import Foundation
import Media
import Records

extension LiveCapture {
    /// The two threads of a live capture and the FFmpeg objects each one owns.
    ///
    /// `@unchecked Sendable` because its parts are confined, not locked: the reader
    /// thread alone touches `source`, `recorder` and `rawDecoder`; the analysis thread
    /// alone touches `decoder`, `ring`, `detector` and `maker`. They meet only
    /// in `packets` (a locked queue) and the capture's `Shared` state (a mutex).
    final class Engine: @unchecked Sendable {
        let source: MediaSource
        let recorder: Recorder
        let configuration: Configuration
        private let packets: BoundedQueue<Packet>
        private let decoder: VideoDecoder
        /// Encode modes need frames on the reader thread: raw video "decodes" by copying.
        private let rawDecoder: VideoDecoder?
        private let converter = PixelConverter()
        private var ring: FrameRing<(frame: Frame, index: Int)>
        private var detector = FreezeDetector()
        private var maker = StillMaker()
        private let stillsOut: AsyncStream<StillFile>.Continuation
        private let stillsIn: AsyncStream<StillFile>
        private let threadsDone = DispatchGroup()
        /// Written by the reader thread before it leaves `threadsDone`, read after the wait.
        private var recordingError: String?

        init(source: MediaSource, recorder: Recorder, configuration: Configuration) throws {
            self.source = source
            self.recorder = recorder
            self.configuration = configuration
            packets = BoundedQueue(capacity: configuration.analysisBacklog)
            decoder = try VideoDecoder(for: source)
            rawDecoder = recorder.mode == .copy ? nil : try VideoDecoder(for: source, threads: 1)
            // Decoded 1080p frames are 3-4 MB each: the ring is what memory is mostly spent on.
            let rate = max(source.video.frameRate, 1)
            ring = FrameRing(duration: configuration.ringDuration, maximumCount: Int((configuration.ringDuration * rate).rounded(.up)) + 2)
            (stillsIn, stillsOut) = AsyncStream.makeStream(of: StillFile.self)
        }

        func interrupt() {
            source.interrupt()
        }

        func start(owner: LiveCapture) {
            threadsDone.enter()
            threadsDone.enter()
            let reader = Thread { [self] in
                recordingError = read(owner)
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
                for await still in stills { await owner.store(still) }
                await withCheckedContinuation { continuation in
                    threadsDone.notify(queue: .global()) { continuation.resume() }
                }
                await owner.engineEnded(recordingError: self.recordingError)
            }
        }

        // MARK: - Reader thread

        /// Returns why recording stopped early, or nil when the source simply ended.
        private func read(_ owner: LiveCapture) -> String? {
            let clock = ContinuousClock()
            let started = clock.now
            var skippingToKeyframe = false
            defer { try? recorder.finish() }
            do {
                while let packet = try source.nextPacket() {
                    if configuration.realTime, let time = packet.decodeTime ?? packet.time {
                        let wait = started + .milliseconds(Int64(time * 1000)) - clock.now
                        if wait > .zero {
                            Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
                        }
                    }
                    try recordPacket(packet)
                    let bytes = recorder.bytesWritten
                    owner.update { state in
                        state.counters.packets += 1
                        state.counters.packetsRecorded += 1
                        state.counters.recordingBytes = bytes
                    }
                    // Analysis may fall behind; the recording above never does. After a
                    // skip, inter-frame codecs can only resume at a keyframe.
                    if skippingToKeyframe && !packet.isKeyframe {
                        owner.update { $0.counters.framesSkipped += 1 }
                        continue
                    }
                    skippingToKeyframe = !packets.offer(packet)
                    if skippingToKeyframe { owner.update { $0.counters.framesSkipped += 1 } }
                }
                return nil
            } catch let error as MediaError where error.kind == .diskFull {
                return "disk full: recording stopped at \(recorder.bytesWritten / 1_000_000) MB"
            } catch {
                return "recording stopped: \(error)"
            }
        }

        private func recordPacket(_ packet: Packet) throws {
            guard let rawDecoder else {
                try recorder.record(packet)
                return
            }
            for frame in try rawDecoder.decode(packet) { try recorder.record(frame) }
        }

        // MARK: - Analysis thread

        private func analyse(_ owner: LiveCapture) {
            var index = 0
            var lastAnalysed = -Double.infinity
            var draining = false
            while !draining {
                let frames: [Frame]
                do {
                    if let packet = packets.take() {
                        frames = try decoder.decode(packet)
                    } else {
                        // The source ended: the frames the decoder still holds come last.
                        draining = true
                        frames = try decoder.flush()
                    }
                } catch {
                    owner.update { $0.counters.decodeErrors += 1 }
                    continue
                }
                for frame in frames {
                    let time = frame.time ?? 0
                    ring.append((frame, index), time: time)
                    index += 1
                    let errors = decoder.errorCount
                    owner.update { state in
                        state.counters.framesDecoded += 1
                        state.counters.decodeErrors = errors
                        state.clock = (Date(), time)
                        state.latestFrame = frame
                    }
                    for request in owner.takeSnapRequests(upTo: time) {
                        if let shown = ring.item(at: request) { takeStill(shown.frame, index: shown.index, time: request, reason: .snap, owner) }
                    }
                    // Three quarters of the interval, so 60 fps thins to exactly every other frame.
                    guard time - lastAnalysed >= 0.75 / configuration.analysisRate else {
                        owner.update { $0.counters.framesThinned += 1 }
                        continue
                    }
                    // Behind by more than half the queue: let this frame pass unanalysed.
                    guard packets.count < configuration.analysisBacklog / 2 else {
                        owner.update { $0.counters.framesSkipped += 1 }
                        continue
                    }
                    lastAnalysed = time
                    owner.update { $0.counters.framesAnalysed += 1 }
                    guard let grid = try? frame.lumaGrid(converter: converter) else { continue }
                    if detector.process(grid, time: time) != nil {
                        takeStill(frame, index: index - 1, time: time, reason: .freeze, owner)
                    }
                }
            }
            // Requests still waiting at the end get the last frame on screen.
            for request in owner.takeSnapRequests(upTo: .infinity) {
                if let shown = ring.item(at: request) { takeStill(shown.frame, index: shown.index, time: request, reason: .snap, owner) }
            }
        }

        private func takeStill(_ frame: Frame, index: Int, time: Double, reason: Still.Reason, _ owner: LiveCapture) {
            do {
                // The session id is filled in by the capture when the still is stored.
                if let still = try maker.make(frame, index: index, time: time, reason: reason, sessionID: UUID()) {
                    stillsOut.yield(still)
                } else {
                    owner.update { $0.counters.duplicateStills += 1 }
                }
            } catch {
                owner.update { $0.failure = $0.failure ?? "could not make a still: \(error)" }
            }
        }
    }
}
