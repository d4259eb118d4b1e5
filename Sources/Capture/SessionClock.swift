import Foundation

/// One clock for a session: gives every packet a time on the session's timeline, whatever
/// the source, so the recording, stills, tags and the page's elapsed time agree with the
/// clock on the wall.
///
/// - A source with timestamps (a container, V4L2) keeps them, checked: a jump backwards,
///   a reset or a gap far larger than the time that passed on the wall is rebased onto
///   the packet's arrival, never kept as a negative or huge step.
/// - A source without (raw MJPEG, H.264 or HEVC on a pipe, rawvideo) is stamped on
///   arrival from the monotonic clock, or from a declared rate when the producer is known
///   to be exact. Variable rates stay variable: nothing is duplicated or dropped.
/// - A new part (the source came back after a loss of signal) starts at its arrival, so
///   the parts keep their places on the timeline.
///
/// Session time 0 is the first picture (the recording's first frame, as every reader of
/// it sees it). Not thread-safe: the reader owns it.
struct SessionClock {
    enum Mode: Equatable {
        case sourceTimestamps
        case arrival
        case declaredRate(Double)
    }

    let mode: Mode
    private let started: ContinuousClock.Instant?
    private var origin: ContinuousClock.Instant?
    /// Session time of the current part's source time 0.
    private var offset = 0.0
    private var lastSource: Double?
    private var lastArrival = 0.0
    private var lastTime = -1.0
    private var packetsInPart = 0
    /// Times the source's clock was found to jump and was rebased.
    private(set) var rebases = 0
    /// The first picture's time before shifting: every time is given relative to it.
    private var zero: Double?
    /// Smallest step between two pictures: keeps times strictly increasing, and distinct
    /// in a recording that keeps them to a millisecond (Matroska), so a still's time
    /// names one picture of the recording even when a bursty producer sends two at once.
    static let tick = 0.001

    /// - Parameter started: when the session's clock starts; the first packet's arrival by default.
    init(mode: Mode, started: ContinuousClock.Instant? = nil) {
        self.mode = mode
        self.started = started
    }

    /// The time for a packet arriving now whose source decode time is `source` (nil when
    /// the source has none). Returns the session time and the arrival time.
    mutating func time(source: Double?, arrival now: ContinuousClock.Instant = ContinuousClock.now) -> (time: Double, arrival: Double) {
        let origin = self.origin ?? started ?? now
        self.origin = origin
        let arrival = Self.seconds(now - origin)
        let time: Double
        switch mode {
        case .arrival:
            time = arrival
        case .declaredRate(let rate):
            if packetsInPart == 0 { offset = max(arrival, lastTime + 1 / rate) }
            time = offset + Double(packetsInPart) / rate
        case .sourceTimestamps:
            if let source {
                if packetsInPart == 0 || lastSource == nil || isJump(from: lastSource!, to: source, wallStep: arrival - lastArrival) {
                    if packetsInPart > 0 { rebases += 1 }
                    // The first packet of a part lands at its arrival (0 for the session's first).
                    offset = max(arrival, lastTime + Self.tick) - source
                }
                time = offset + source
                lastSource = source
            } else {
                // A packet without a time inside a timed stream: one tick after the last.
                time = max(arrival, lastTime + Self.tick)
            }
        }
        packetsInPart += 1
        lastArrival = arrival
        lastTime = max(time, lastTime + Self.tick)
        let zero = self.zero ?? lastTime
        self.zero = zero
        return (lastTime - zero, arrival - zero)
    }

    /// The source came back (or another source took over): its times start again.
    mutating func startPart() {
        packetsInPart = 0
        lastSource = nil
    }

    /// Backwards, or forwards by more than the wall clock moved plus a margin.
    private func isJump(from previous: Double, to source: Double, wallStep: Double) -> Bool {
        let step = source - previous
        return step < -0.001 || step > max(wallStep, 0) + 2
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
