import Foundation
import Media
import Records

extension LiveCapture.Engine {
    /// The analysis thread: decodes what the reader offers, keeps the last moments of
    /// frames for late snap requests, detects freezes and makes stills. Every time here
    /// is on the session's clock (the reader retimed each packet).
    func analyse(_ owner: LiveCapture) {
        var index = 0
        var packetIndex = 0
        var lastTime = 0.0
        var draining = false
        while !draining {
            let frames: [Frame]
            do {
                switch packets.take() {
                case .packet(let packet):
                    // An intra-only stream's ring keeps packets: each one is its picture.
                    if decoder.isIntraOnly, let time = packet.time {
                        ring.append(.packet(packet, index: packetIndex), time: time)
                    }
                    packetIndex += 1
                    frames = try decoder.decode(packet)
                case .newPart(let next):
                    // The source came back: what the old decoder holds first, then the new part
                    // (a flush that fails is counted as a decode error below).
                    let old = decoder
                    decoder = next
                    frames = try old.flush()
                case nil:
                    // The source ended: the frames the decoder still holds come last.
                    draining = true
                    frames = try decoder.flush()
                }
            } catch {
                owner.update { $0.counters.decodeErrors += 1 }
                continue
            }
            for frame in frames {
                // Retimed packets always carry a time; a decoder that drops it gets the last one's.
                let time = frame.time ?? lastTime
                lastTime = time
                if !decoder.isIntraOnly { ring.append(.frame(frame, index: index), time: time) }
                index += 1
                let errors = decoder.errorCount
                let previewWanted = owner.update { state in
                    state.counters.framesDecoded += 1
                    state.counters.decodeErrors = errors
                    state.latestFrame = frame
                    state.latestFrameTime = time
                    defer { state.previewWanted = false }
                    return state.previewWanted
                }
                if previewWanted { copyForPreview(frame, owner) }
                for request in owner.takeSnapRequests(upTo: time) {
                    // A press before the first picture, or later than the ring reaches back,
                    // gets the closest picture there is rather than none. The still takes its
                    // picture's time (at most a frame before the press), so the recording at
                    // the still's time shows exactly that picture.
                    snap(ring.item(at: request) ?? ring.oldest, request: request, owner)
                }
                do {
                    // Behind by more than half the queue: a picture due for analysis is let pass.
                    let outcome = try pipeline.offer(frame, index: index - 1, time: time,
                                                     behind: packets.count >= configuration.analysisBacklog / 2)
                    owner.update { $0.counters.count(outcome) }
                    if case .analysed(let still?, _) = outcome { stillsOut.yield(still) }
                } catch {
                    owner.update { $0.failure = $0.failure ?? "could not analyse a picture: \(error)" }
                }
            }
        }
        // Requests still waiting at the end get the last frame on screen.
        for request in owner.takeSnapRequests(upTo: .infinity) {
            snap(ring.item(at: request) ?? ring.oldest, request: request, owner)
        }
    }

    /// The small copy of `frame` a viewer of the live picture waits for (``LiveCapture/previewJPEG()``).
    private func copyForPreview(_ frame: Frame, _ owner: LiveCapture) {
        let size = LiveCapture.previewSize(width: frame.width, height: frame.height)
        // A frame that cannot be scaled makes no copy: the viewer's wait ends without one and
        // it encodes the newest frame itself, which reports the error to the page.
        guard let copy = try? previewConverter.previewFrame(frame, width: size.width, height: size.height) else { return }
        owner.update { state in
            state.previewFrame = copy
            state.previewCopies += 1
        }
    }

    /// A still of what was on screen for a snap: the frame kept, or the packet kept,
    /// decoded now on its own.
    private func snap(_ shown: LiveCapture.Shown?, request: Double, _ owner: LiveCapture) {
        switch shown {
        case .frame(let frame, let index):
            takeStill(frame, index: index, time: frame.time ?? request, reason: .snap, owner)
        case .packet(let packet, let index):
            do {
                guard let frame = try decoder.decodeAlone(packet) else {
                    owner.update { $0.counters.decodeErrors += 1 }
                    return
                }
                takeStill(frame, index: index, time: frame.time ?? packet.time ?? request, reason: .snap, owner)
            } catch {
                owner.update { $0.failure = $0.failure ?? "could not decode the snapped picture: \(error)" }
            }
        case nil:
            break
        }
    }

    private func takeStill(_ frame: Frame, index: Int, time: Double, reason: Still.Reason, _ owner: LiveCapture) {
        do {
            // The session id is filled in by the capture when the still is stored.
            if let still = try pipeline.still(frame, index: index, time: time, reason: reason) {
                stillsOut.yield(still)
            } else {
                owner.update { $0.counters.duplicateStills += 1 }
            }
        } catch {
            owner.update { $0.failure = $0.failure ?? "could not make a still: \(error)" }
        }
    }
}
