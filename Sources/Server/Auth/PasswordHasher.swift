import HummingbirdBcrypt

/// bcrypt, with a cost the tests may lower (cost 4 is fast and still real bcrypt).
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

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
