import Foundation
import HummingbirdBcrypt
import Synchronization

/// bcrypt, with a cost the tests may lower (cost 4 is fast and still real bcrypt).
///
/// A hash takes about a quarter of a second of one core at cost 12, so the async
/// methods run it on ``WorkerPool/passwords``: never on the server's event loops or
/// Swift's cooperative pool, where it would hold up every other request.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    /// Where the hashing runs: the process's shared bcrypt threads unless given.
    public let pool: WorkerPool

    public init(cost: UInt8 = 12, pool: WorkerPool = .passwords) {
        self.cost = cost
        self.pool = pool
    }

    /// Hashes on the bcrypt threads.
    /// - Throws: ``WorkerPool/Busy`` when too many hashes already wait.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await pool.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks on the bcrypt threads.
    /// - Throws: ``WorkerPool/Busy`` when too many checks already wait.
    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.run { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of no one's password at this cost, made once: checked when a user does not
    /// exist, so the answer takes as long as for a real user and does not tell which names exist.
    public func decoyHash() async throws -> String {
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
            throw WorkflowError(.invalid, "a password needs at least 10 characters (it had \(password.count)); a short sentence is easy to remember")
        }
        guard password.utf8.count <= 72 else {
            throw WorkflowError(.invalid, "a password may have at most 72 bytes (bcrypt ignores the rest)")
        }
        return password
    }
}
