import Foundation
import Synchronization

/// At most `limit` of one kind of expensive work at once (WebM excerpts, each decoding
/// and encoding video and held in memory whole): a request beyond it is refused at once
/// with a time to come back, rather than queued behind the others until memory runs out.
public final class WorkLimiter: Sendable {
    public let limit: Int
    private let state = Mutex((running: 0, mostAtOnce: 0))

    /// - Parameter limit: at least 1; the number of cores by default.
    public init(limit: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
    }

    /// A slot, or nil when `limit` are taken. Give it back with ``release()``.
    public func acquire() -> Bool {
        state.withLock { state in
            guard state.running < limit else { return false }
            state.running += 1
            state.mostAtOnce = max(state.mostAtOnce, state.running)
            return true
        }
    }

    public func release() {
        state.withLock { $0.running = max(0, $0.running - 1) }
    }

    /// How many run now.
    public var running: Int { state.withLock { $0.running } }
    /// The most that ever ran at once.
    public var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }

    /// Runs `body` in a slot.
    /// - Throws: ``Busy`` without running it when every slot is taken; what `body` throws.
    public func run<T>(_ body: () async throws -> T) async throws -> T {
        guard acquire() else { throw Busy(limit: limit) }
        defer { release() }
        return try await body()
    }

    public struct Busy: Error {
        public let limit: Int
    }
}
