import Foundation
import HummingbirdBcrypt
import Synchronization

/// bcrypt, with a cost the tests may lower (cost 4 is fast and still real bcrypt).
///
/// A hash takes about a quarter of a second of one core at cost 12, so the async
/// methods run it on a few threads of its own (``BcryptPool``): never on the server's
/// event loops or Swift's cooperative pool, where it would hold up every other request.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    /// Where the hashing runs: the process's shared bcrypt threads unless given.
    public let pool: BcryptPool

    public init(cost: UInt8 = 12, pool: BcryptPool = .shared) {
        self.cost = cost
        self.pool = pool
    }

    /// Hashes on the bcrypt threads.
    /// - Throws: ``BcryptPool/Busy`` when too many hashes already wait.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await pool.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks on the bcrypt threads.
    /// - Throws: ``BcryptPool/Busy`` when too many checks already wait.
    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.run { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of no one's password at this cost, made once: checked when a user does not
    /// exist, so the answer takes as long as for a real user and does not tell which names exist.
    func decoyHash() async throws -> String {
        if let made = Self.decoys.withLock({ $0[cost] }) { return made }
        let made = try await hash("not a password of anyone's")
        return Self.decoys.withLock { decoys in
            if let first = decoys[cost] { return first }
            decoys[cost] = made
            return made
        }
    }

    private static let decoys = Mutex<[UInt8: String]>([:])

    /// - Throws: a message saying what a password needs, when it is too weak to protect patient data.
    public static func check(_ password: String) throws -> String {
        guard password.count >= 10 else {
            throw PasswordError("a password needs at least 10 characters (it had \(password.count)); a short sentence is easy to remember")
        }
        guard password.utf8.count <= 72 else {
            throw PasswordError("a password may have at most 72 bytes (bcrypt ignores the rest)")
        }
        return password
    }
}

public struct PasswordError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The threads bcrypt runs on: half the cores (at least one), so sign-ins can never take
/// every core from the recorder and the pages, at a lower priority than theirs, and a
/// bounded queue in front of them.
public final class BcryptPool: Sendable {
    /// Too many hashes are waiting already; the caller answers 503.
    public struct Busy: Error, CustomStringConvertible {
        public let description = "too many sign-ins are being checked at once: try again in a few seconds"
    }

    public static let shared = BcryptPool(threads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2), queueLimit: 128)

    public let threads: Int
    /// Hashes running or waiting beyond which new ones are refused.
    public let queueLimit: Int
    private let queue: OperationQueue
    private let pending = Mutex(0)

    public init(threads: Int, queueLimit: Int) {
        self.threads = threads
        self.queueLimit = queueLimit
        queue = OperationQueue()
        queue.name = "needlelog.bcrypt"
        queue.maxConcurrentOperationCount = threads
        // Below the recorder's threads (libdispatch gives utility threads a higher nice
        // value): a sign-in may wait a moment, the recording may not.
        queue.qualityOfService = .utility
    }

    /// Runs `work` on one of the pool's threads.
    /// - Throws: ``Busy`` without running it when `queueLimit` hashes are already in hand.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = pending.withLock { count in
            guard count < queueLimit else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { pending.withLock { $0 -= 1 } }
        return await withCheckedContinuation { continuation in
            queue.addOperation { continuation.resume(returning: work()) }
        }
    }
}
