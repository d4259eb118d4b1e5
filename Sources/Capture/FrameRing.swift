/// The last few seconds of pictures, by the time they were on screen, so that a snap
/// request that arrives late (a foot pedal over a network, a busy queue) still gets the
/// frame that was showing when the tech pressed.
///
/// Holds any element: decoded `Frame`s (cheap to hold, converted only when picked) or
/// converted `Image`s. Memory is the caller's to weigh: at 1080p60, two seconds of frames
/// is 120 pictures of 2-3 MB each, so keep `duration` to the lateness you must cover and
/// set `maximumCount` as a hard bound.
public struct FrameRing<Element> {
    /// Seconds of history kept behind the newest item.
    public let duration: Double
    /// Most items kept whatever their times.
    public let maximumCount: Int

    /// A circular buffer in two parallel arrays: `head` is the oldest slot, and `count`
    /// slots follow it. Empty slots hold nil so a dropped frame is released at once.
    private var times: [Double] = []
    private var items: [Element?] = []
    private var head = 0
    public private(set) var count = 0

    /// - Precondition: `duration` is not negative and `maximumCount` is at least 1.
    public init(duration: Double, maximumCount: Int = .max) {
        precondition(duration >= 0, "a ring cannot hold a negative duration (\(duration) s)")
        precondition(maximumCount >= 1, "a ring must hold at least one item")
        self.duration = duration
        self.maximumCount = maximumCount
    }

    public var isEmpty: Bool { count == 0 }
    /// Time of the oldest item held: the earliest time `item(at:)` can answer for.
    public var oldestTime: Double? { isEmpty ? nil : time(0) }
    /// Time of the newest item.
    public var newestTime: Double? { isEmpty ? nil : time(count - 1) }

    /// Adds the item that went on screen at `time` and drops what is older than `duration`
    /// behind it, keeping the one item that was still on screen `duration` ago.
    ///
    /// Times are expected to increase; a time before the newest one means the stream
    /// started over, so the ring is emptied first rather than mixing two timelines.
    public mutating func append(_ item: Element, time: Double) {
        if let newest = newestTime, time < newest { removeAll() }
        if count == times.count { grow() }
        let slot = (head + count) % times.count
        times[slot] = time
        items[slot] = item
        count += 1
        // Drop the oldest while the next one was already on screen at `time - duration`.
        while count > 1, self.time(1) <= time - duration { removeFirst() }
        while count > maximumCount { removeFirst() }
    }

    /// The item on screen at `time`: the latest one whose time is not after `time`. Nil
    /// when the ring is empty or `time` is before the oldest item held. A time after the
    /// newest item gets the newest, which is still on screen.
    public func item(at time: Double) -> Element? {
        guard count > 0, self.time(0) <= time else { return nil }
        // Binary search for the last item whose time is not after `time`.
        var low = 0, high = count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self.time(middle) <= time { low = middle } else { high = middle - 1 }
        }
        return items[(head + low) % items.count]
    }

    /// The oldest item held: the closest there is to a time before the ring.
    public var oldest: Element? { count > 0 ? items[head] : nil }

    /// Drops every item.
    public mutating func removeAll() {
        for i in items.indices { items[i] = nil }
        head = 0
        count = 0
    }

    // MARK: - Circular storage

    /// Time of the `index`-th item, oldest first.
    private func time(_ index: Int) -> Double {
        times[(head + index) % times.count]
    }

    private mutating func removeFirst() {
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
    }

    /// Doubles the storage, moving the items to its start in order.
    private mutating func grow() {
        let size = max(8, times.count * 2)
        var largerTimes = [Double](repeating: 0, count: size)
        var largerItems = [Element?](repeating: nil, count: size)
        for i in 0..<count {
            largerTimes[i] = times[(head + i) % times.count]
            largerItems[i] = items[(head + i) % items.count]
        }
        times = largerTimes
        items = largerItems
        head = 0
    }
}

extension FrameRing: Sendable where Element: Sendable {}
