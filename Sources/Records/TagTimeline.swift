import Anatomy
import Foundation

/// A session's tag events in time order, answering "what was tagged at time t?".
///
/// Events are sorted by time; events at the same time keep the order they were
/// given in, so the later one (the correction typed second) is the one in force.
/// Codable as the array of events.
public struct TagTimeline: Hashable, Sendable {
    /// The events, by time.
    public private(set) var events: [TagEvent]

    public init(_ events: some Sequence<TagEvent>) {
        self.events = events.enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
    }

    /// The tag in force at `time` seconds from the start: the latest event at or
    /// before it, or `nil` before the first tag.
    public func tag(at time: Double) -> TagEvent? {
        let index = insertionIndex(for: time)
        return index == 0 ? nil : events[index - 1]
    }

    /// Adds an event after any others at the same time, as a live tag arrives.
    public mutating func insert(_ event: TagEvent) {
        events.insert(event, at: insertionIndex(for: event.time))
    }

    /// The index of the first event later than `time`; binary search, since a
    /// long session's timeline is queried once per still.
    private func insertionIndex(for time: Double) -> Int {
        var low = 0
        var high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension TagTimeline: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([TagEvent].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(events)
    }
}

extension Sequence where Element == TagEvent {
    /// The region most of these tags are in (by each site's upper level), for a session's
    /// record; `nil` without tags on the spine.
    public var mostTaggedRegion: SpinalRegion? {
        let regions = compactMap { $0.site.span?.upper.region }
        return Dictionary(grouping: regions, by: { $0 }).max { $0.value.count < $1.value.count }?.key
    }
}
