import Foundation
import Media

extension LiveCapture.Engine {
    /// The reader thread: every packet onto the session's clock, into the recording at
    /// once, then offered to analysis. A live source that ends or fails (a cable pulled,
    /// a FIFO's writer gone) is opened again with backoff and recorded as the next part
    /// of the same session, on the same clock; only a stop, the end of a file or of
    /// standard input, or the no-signal limit ends the session.
    func read(_ owner: LiveCapture) -> LiveCapture.Ending {
        let ending = readParts(owner)
        // The recording's last cluster or fragment, and its index: a failure here (the
        // disk full at the very end) fails the session with the reason, never silently.
        do {
            try recorder.finish()
        } catch {
            Self.log("could not finish the recording: \(error)")
            return .recordingFailed("the recording could not be finished: \(error)")
        }
        return ending
    }

    private func readParts(_ owner: LiveCapture) -> LiveCapture.Ending {
        var source = firstSource
        var clock = SessionClock(mode: clockMode(for: source), started: origin)
        var part = ArrivalBurst(partStart: max(origin, source.probeStarted))
        while true {
            let lost: String
            do {
                try pump(source, clock: &clock, burst: &part, owner)
                lost = "the source ended"
            } catch let failure as RecordingFailure {
                return .recordingFailed(failure.message)
            } catch {
                lost = "\(error)"
            }
            if isStopping || interruption.isInterrupted { return .stopped }
            // A source that is not to be opened again ends the session; a failure says why.
            if !configuration.reopensSource { return lost == "the source ended" ? .stopped : .sourceLost("the source failed: \(lost)") }
            let since = ContinuousClock.now
            let loss = owner.signalLost()
            Self.log("no signal (\(lost)): opening the source again; the session goes on")
            // Past the limit the waits are interrupted, and the session ends (unless it is back by then).
            DispatchQueue.global().asyncAfter(deadline: .now() + configuration.noSignalLimit) { [self] in
                if owner.isStillLost(loss) { interruption.interrupt() }
            }
            guard let next = reopen(since: since, owner) else {
                if isStopping { return .stopped }
                return .sourceLost(String(format: "no signal for %.0f minutes (%@): the session ended", configuration.noSignalLimit / 60, lost))
            }
            guard recorder.accepts(next.video) else {
                return .sourceLost("the source came back as \(next.video.codec), not as the \(source.video.codec) this recording holds: start a new session")
            }
            source = next
            clock.startPart()
            part = ArrivalBurst(partStart: next.probeStarted)
            do {
                packets.append(.newPart(try VideoDecoder(for: next)))
                if recorder.mode != .copy { rawDecoder = try VideoDecoder(for: next, threads: 1) }
            } catch {
                return .sourceLost("the source came back but cannot be decoded: \(error)")
            }
            let parts = owner.update { state -> Int in
                state.signalLostAt = nil
                state.parts += 1
                return state.parts
            }
            Self.log(String(format: "signal back after %.1f s: recording part %d of the same session", SessionClock.seconds(ContinuousClock.now - since), parts))
        }
    }

    /// Reads one source to its end. Recording failures come out as `RecordingFailure`.
    private func pump(_ source: MediaSource, clock: inout SessionClock, burst: inout ArrivalBurst, _ owner: LiveCapture) throws {
        let wall = ContinuousClock()
        let paceStart = wall.now
        var skippingToKeyframe = false
        var disk = DiskWatch()
        while let packet = try source.nextPacket() {
            if configuration.realTime, let time = packet.decodeTime ?? packet.time {
                let wait = paceStart + .milliseconds(Int64(min(max(time, 0), 1e9) * 1000)) - wall.now
                if wait > .zero { Thread.sleep(forTimeInterval: SessionClock.seconds(wait)) }
            }
            if let arrived = packet.arrival {
                // A live pipe: the time the packet's last byte came, even when FFmpeg's
                // probe or parser handed it over later.
                for (held, at) in burst.flush() {
                    try deliver(held, arrived: at, clock: &clock, owner, skipping: &skippingToKeyframe)
                }
                try deliver(packet, arrived: arrived, clock: &clock, owner, skipping: &skippingToKeyframe)
            } else {
                // A burst that arrived together (FFmpeg's probe read ahead) is held until it
                // ends, then spread back over the time it took to arrive.
                for (held, at) in burst.take(packet, arrived: ContinuousClock.now) {
                    try deliver(held, arrived: at, clock: &clock, owner, skipping: &skippingToKeyframe)
                }
            }
            try disk.check(self, owner)
        }
        for (held, at) in burst.flush() {
            try deliver(held, arrived: at, clock: &clock, owner, skipping: &skippingToKeyframe)
        }
    }

    private func deliver(_ packet: Packet, arrived: ContinuousClock.Instant, clock: inout SessionClock, _ owner: LiveCapture,
                         skipping: inout Bool) throws {
        let decode = packet.decodeTime ?? packet.time
        let stamp = clock.time(source: decode, arrival: arrived)
        // Presentation keeps the source's reordering (B-frames) where it has one.
        let reorder = clock.mode == .sourceTimestamps ? max(0, (packet.time ?? 0) - (decode ?? 0)) : 0
        packet.retime(presentation: stamp.time + reorder, decoding: stamp.time)
        do {
            try recordPacket(packet)
        } catch {
            throw RecordingFailure(error)
        }
        let bytes = recorder.bytesWritten
        let rebases = clock.rebases
        // The wall clock when the packet arrived (it may be handed over a frame later), so
        // a press maps onto the session's clock where the picture on screen is.
        let wall = Date().addingTimeInterval(-SessionClock.seconds(ContinuousClock.now - arrived))
        owner.update { state in
            // The session's clock reads 0 at its first picture.
            if state.lastPacket == nil { state.origin = wall.addingTimeInterval(-stamp.time) }
            state.counters.packets += 1
            state.counters.packetsRecorded += 1
            state.counters.recordingBytes = bytes
            state.lastPacket = (wall, stamp.time, stamp.arrival)
            state.rate.add(stamp.time)
            state.clockRebases = rebases
            state.signalLostAt = nil
        }
        // Analysis may fall behind; the recording above never does. After a skip,
        // inter-frame codecs can only resume at a keyframe.
        if skipping && !packet.isKeyframe {
            owner.update { $0.counters.framesSkipped += 1 }
            return
        }
        skipping = !packets.offer(.packet(packet))
        if skipping { owner.update { $0.counters.framesSkipped += 1 } }
    }

    private func recordPacket(_ packet: Packet) throws(MediaError) {
        guard let rawDecoder else {
            try recorder.record(packet)
            return
        }
        for frame in try rawDecoder.decode(packet) { try recorder.record(frame) }
    }

    /// Opens the source again, waiting 0.2 s, then longer, up to 2 s between tries, until
    /// it is back, a stop is asked for, or the no-signal limit passes.
    private func reopen(since: ContinuousClock.Instant, _ owner: LiveCapture) -> MediaSource? {
        var wait = 0.2
        while !isStopping, SessionClock.seconds(ContinuousClock.now - since) < configuration.noSignalLimit {
            if let source = try? MediaSource(configuration.input, interrupt: interruption) { return source }
            if interruption.isInterrupted { return nil }
            Thread.sleep(forTimeInterval: wait)
            wait = min(wait * 2, 2)
        }
        return nil
    }

    private func clockMode(for source: MediaSource) -> SessionClock.Mode {
        if let rate = configuration.declaredRate { return .declaredRate(rate) }
        return source.hasTimestamps ? .sourceTimestamps : .arrival
    }

    /// Measures the archive's disk about once a second and stops the recording at the
    /// reserve, before the disk is full: the database can then still record why.
    struct DiskWatch {
        private var last: (at: ContinuousClock.Instant, bytes: Int64)?
        private var rate: Double?

        mutating func check(_ engine: LiveCapture.Engine, _ owner: LiveCapture) throws {
            let now = ContinuousClock.now
            if let last, now - last.at < .seconds(1) { return }
            let bytes = engine.recorder.bytesWritten
            if let last {
                let seconds = SessionClock.seconds(now - last.at)
                let measured = Double(bytes - last.bytes) / seconds
                rate = rate.map { 0.8 * $0 + 0.2 * measured } ?? measured
            }
            last = (now, bytes)
            // The folder removed or moved under the recorder: writes would go on into a file
            // no one can reach (an open file outlives its name), and nothing would say so.
            if access(engine.recorder.path, F_OK) != 0 {
                throw RecordingFailure(message: "the recording's file is gone (the archive's folder was removed or moved while recording, or its disk went away): recording stopped; the session's tags and stills are kept in the archive's database; check the archive's folder and disk, then start a new session")
            }
            guard let free = DiskSpace.free(at: engine.archiveRoot) else { return }
            let space = DiskSpace(freeBytes: free, reserveBytes: engine.diskReserve, bytesPerSecond: rate)
            let before = owner.update { state -> DiskSpace.Level? in
                defer { state.disk = space }
                return state.disk?.level
            }
            if space.level != before, let warning = space.warning { LiveCapture.Engine.log(warning) }
            // The next check is a second away: stop a second's writing early, so the reserve holds.
            if Double(free) - (rate ?? 0) <= Double(engine.diskReserve) {
                throw RecordingFailure(message: "disk full: recording stopped with \(free >> 20) MB left on the archive's disk, the \(engine.diskReserve >> 20) MB kept for the archive itself; free space there and start a new session")
            }
        }
    }

    /// One line on standard error for the faults a tech or an administrator must hear of
    /// (never a patient's name or id: the log is not clinical data).
    static func log(_ message: String) {
        let stamp = Date().formatted(.iso8601)
        FileHandle.standardError.write(Data("\(stamp) capture: \(message)\n".utf8))
    }

    /// Writing the recording failed: the disk, not the source.
    struct RecordingFailure: Error {
        let message: String

        init(message: String) {
            self.message = message
        }

        init(_ error: any Error) {
            if let media = error as? MediaError, media.kind == .diskFull {
                message = "disk full: recording stopped"
            } else {
                message = "recording stopped: \(error)"
            }
        }
    }
}
