import Archive
import Foundation
import Synchronization

/// A live session's archive writes (the session's row, tags, stills, its end), done in
/// order on a task of their own so the capture and the tech's buttons never wait for the
/// database.
///
/// Another program may hold the database's write lock for a while (a backup, `sqlite3`
/// with a transaction open): a write refused as busy stays first in line and is tried
/// again with backoff until it lands, while later writes queue behind it, bounded. A
/// write refused for any other reason is dropped and reported; the next one goes on.
final class ArchiveWriteQueue: Sendable {
    struct Item {
        var what: String
        var bytes: Int
        var enqueued: ContinuousClock.Instant
        var write: @Sendable () async throws -> Void
    }

    private struct State {
        var items: [Item] = []
        var bytes = 0
        var running = false
        var retries = 0
        var lastBusy: String?
        var failures: [String] = []
    }

    /// Writes the queue holds at most: hours of tags and stills at a tech's pace.
    let maximumCount: Int
    /// Bytes the queue holds at most (stills' PNGs waiting in memory).
    let maximumBytes: Int
    private let state = Mutex(State())

    init(maximumCount: Int = 2000, maximumBytes: Int = 256 << 20) {
        self.maximumCount = maximumCount
        self.maximumBytes = maximumBytes
    }

    /// Queues a write; it runs after every write queued before it.
    /// - Throws: `ArchiveError(.busy)` when the queue is full: the database has refused
    ///   writes for so long that nothing more can be held.
    func enqueue(_ what: String, bytes: Int = 0, _ write: @escaping @Sendable () async throws -> Void) throws(ArchiveError) {
        let start = try state.withLock { state throws(ArchiveError) -> Bool in
            guard state.items.count < maximumCount, state.bytes + bytes <= maximumBytes else {
                throw ArchiveError(.busy, "cannot \(what): \(state.items.count) archive writes are already waiting for the database (\(state.lastBusy ?? "it refuses writes")); free the database (end the backup or the sqlite3 session holding it) and try again")
            }
            state.items.append(Item(what: what, bytes: bytes, enqueued: .now, write: write))
            state.bytes += bytes
            defer { state.running = true }
            return !state.running
        }
        if start { Task { await self.run() } }
    }

    /// Writes waiting, their bytes and how long the oldest has waited.
    var backlog: ArchiveBacklog {
        state.withLock { state in
            ArchiveBacklog(writes: state.items.count, bytes: state.bytes,
                           oldestSeconds: state.items.first.map { SessionClock.seconds(.now - $0.enqueued) } ?? 0,
                           retries: state.retries, cause: state.items.isEmpty ? nil : state.lastBusy)
        }
    }

    /// Writes that failed for good (not for a busy database), in words.
    var failures: [String] { state.withLock { $0.failures } }

    /// Waits until every write queued so far has landed, or `deadline` passes.
    /// Returns what is still waiting (nothing when all landed).
    func drain(until deadline: ContinuousClock.Instant) async -> [String] {
        while true {
            let waiting = state.withLock { $0.items.map(\.what) }
            if waiting.isEmpty || ContinuousClock.now >= deadline { return waiting }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func run() async {
        var wait = Duration.milliseconds(50)
        while let item = state.withLock({ $0.items.first }) {
            do {
                try await item.write()
                wait = .milliseconds(50)
            } catch let error as ArchiveError where error.kind == .busy {
                // Stays first in line: later writes (a still after the tag it carries,
                // the session's end after its stills) must not overtake it.
                state.withLock { state in
                    state.retries += 1
                    // "cannot add a tag: another program holds ..." -> the cause alone.
                    state.lastBusy = error.message.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
                }
                try? await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(1))
                continue
            } catch {
                state.withLock { $0.failures.append("could not \(item.what): \(error)") }
            }
            let more = state.withLock { state in
                let done = state.items.removeFirst()
                state.bytes -= done.bytes
                if state.items.isEmpty { state.running = false }
                return !state.items.isEmpty
            }
            if !more { return }
        }
    }
}

/// Archive writes waiting for the database, for `status` and the metrics.
public struct ArchiveBacklog: Codable, Sendable, Equatable {
    public var writes: Int
    public var bytes: Int
    /// How long the oldest waiting write has waited, in seconds.
    public var oldestSeconds: Double
    /// Times a write was refused as busy and tried again, in this session.
    public var retries: Int
    /// Why writes wait (the database's answer), while some do.
    public var cause: String?
}
