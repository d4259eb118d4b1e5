import Foundation
import Media

/// Packets that arrive together at the start of a part of a live stream: FFmpeg's probe
/// read them ahead as they came, then hands them over at once. Stamped on arrival they
/// would all land at the same moment (a stream without timestamps would play its first
/// half second in a flash; one with timestamps would start half a second late on the
/// session's clock); held until the burst ends, they are spread back evenly over the
/// time it took them to come.
struct ArrivalBurst {
    private var held: [(packet: Packet, arrived: ContinuousClock.Instant)] = []
    /// When the part's source began to be opened: the burst was read since then.
    private let partStart: ContinuousClock.Instant
    private var done = false

    init(partStart: ContinuousClock.Instant) {
        self.partStart = partStart
    }
    /// Packets closer than this came from a buffer, not from the wire.
    static let together = Duration.milliseconds(3)
    static let most = 240

    /// The packets ready to deliver, each with the arrival to stamp it with.
    mutating func take(_ packet: Packet, arrived: ContinuousClock.Instant) -> [(Packet, ContinuousClock.Instant)] {
        guard !done else { return [(packet, arrived)] }
        if let last = held.last, arrived - last.arrived > Self.together || held.count >= Self.most {
            // The burst is over: this packet came from the wire.
            return flush() + [(packet, arrived)]
        }
        held.append((packet, arrived))
        return []
    }

    /// The held packets, spread back from the last one's arrival.
    mutating func flush() -> [(Packet, ContinuousClock.Instant)] {
        done = true
        guard let last = held.last else { return [] }
        // The burst was read over the time since the part started.
        let span = last.arrived - partStart
        let step = held.count > 1 ? span / held.count : .zero
        let spread = held.enumerated().map { index, item in (item.packet, last.arrived - step * (held.count - 1 - index)) }
        held = []
        return spread
    }
}
