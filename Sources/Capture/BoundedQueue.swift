import Foundation

/// A first-in first-out queue between two threads with a fixed capacity: the producer
/// never blocks (a full queue refuses the item, and the caller counts the skip), the
/// consumer waits for items until the queue is closed.
///
/// `@unchecked Sendable` because a condition variable (which `Mutex` lacks) guards it:
/// every read and write of `items`, `head` and `closed` happens between `condition.lock()`
/// and `unlock()`, and `capacity` never changes.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken slots are emptied at once: a taken packet must not stay referenced until the
    /// storage is compacted (up to 256 of them, 14 MB of 1080p MJPEG, 60 MB at 2160p).
    private var items: [Element?] = []
    private var head = 0
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds an item unless the queue is full; returns whether it was added.
    func offer(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard items.count - head < capacity, !closed else { return false }
        items.append(item)
        condition.signal()
        return true
    }

    /// Adds an item that must not be dropped (a marker between parts), even to a full queue.
    func append(_ item: Element) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return }
        items.append(item)
        condition.signal()
    }

    /// The next item, waiting for one; nil once the queue is closed and empty.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count, !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head].take()
        head += 1
        if head > 256, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }

    /// No more items will come; a waiting consumer wakes up.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
