import Foundation
import Synchronization

/// A few threads of their own for work that holds a core for a while (bcrypt, PNG and
/// JPEG encoding): never the server's event loops or Swift's cooperative pool, where it
/// would hold up every other request. A bounded queue stands in front of them, so a
/// burst is refused at once (the caller answers 503) rather than queued until memory runs out.
///
/// The threads run below the recorder's priority (libdispatch gives utility threads a
/// higher nice value): a page may wait a moment, the recording may not.
public final class WorkerPool: Sendable {
    /// Too much of this work is waiting already.
    public struct Busy: Error, CustomStringConvertible {
        public let description: String
    }

    /// Password hashing: half the cores (at least one), so sign-ins can never take every
    /// core from the recorder and the pages.
    public static let passwords = WorkerPool(name: "bcrypt", threads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2),
                                             queueLimit: 128,
                                             busy: "too many sign-ins are being checked at once: try again in a few seconds")
    /// Pictures for the pages (the live preview, a still with its needle drawn): as many
    /// threads as cores, each picture a few milliseconds to a few tens.
    public static let pictures = WorkerPool(name: "pictures", threads: ProcessInfo.processInfo.activeProcessorCount, queueLimit: 256,
                                            busy: "too many pictures are being made at once: try again in a moment")

    public let threads: Int
    /// Jobs running or waiting beyond which new ones are refused.
    public let queueLimit: Int
    private let busyMessage: String
    private let queue: OperationQueue
    private let pending = Mutex(0)

    public init(name: String, threads: Int, queueLimit: Int, busy: String) {
        self.threads = max(1, threads)
        self.queueLimit = queueLimit
        busyMessage = busy
        queue = OperationQueue()
        queue.name = "needlelog.\(name)"
        queue.maxConcurrentOperationCount = self.threads
        queue.qualityOfService = .utility
    }

    /// Runs `work` on one of the pool's threads.
    /// - Throws: ``Busy`` without running it when `queueLimit` jobs are already in hand;
    ///   what `work` throws.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = pending.withLock { count in
            guard count < queueLimit else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy(description: busyMessage) }
        defer { pending.withLock { $0 -= 1 } }
        return try await withCheckedThrowingContinuation { continuation in
            queue.addOperation { continuation.resume(with: Result { try work() }) }
        }
    }
}
