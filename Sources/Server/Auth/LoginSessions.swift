import Archive
import Crypto
import Foundation

/// Signed-in browsers, by the random id in their cookie. Kept in memory: restarting
/// the daemon signs everyone out, which is the safe side.
public actor LoginSessions {
    struct Entry {
        var identity: Identity
        var lastSeen: ContinuousClock.Instant
    }

    /// Signed out after this long without a user action (15 minutes by default).
    public let idleTimeout: Duration
    private var entries: [String: Entry] = [:]

    public init(idleTimeout: Duration = .seconds(15 * 60)) {
        self.idleTimeout = idleTimeout
    }

    /// A new session with a new id (never one the browser brought), and its CSRF token.
    func open(name: String, role: Account.Role) -> (id: String, identity: Identity) {
        removeIdle()
        let identity = Identity(name: name, role: role, csrfToken: Self.randomToken())
        let id = Self.randomToken()
        entries[id] = Entry(identity: identity, lastSeen: .now)
        return (id, identity)
    }

    /// The identity behind a cookie; `nil` once it has idled out.
    ///
    /// - Parameter userAction: true when the request is something the user did, which
    ///   restarts the idle timer; a page polling on its own (the tech page's status every
    ///   300 ms) passes false, or nobody would ever be signed out.
    func identity(for id: String, userAction: Bool = true) -> Identity? {
        guard var entry = entries[id] else { return nil }
        let now = ContinuousClock.now
        guard now - entry.lastSeen < idleTimeout else {
            entries[id] = nil
            return nil
        }
        if userAction {
            entry.lastSeen = now
            entries[id] = entry
        }
        return entry.identity
    }

    /// True while the session is signed in, without counting as activity (a live stream
    /// checks that its viewer has not been signed out).
    func isOpen(_ id: String) -> Bool {
        guard let entry = entries[id] else { return false }
        return ContinuousClock.now - entry.lastSeen < idleTimeout
    }

    func close(_ id: String) { entries[id] = nil }

    /// Signs a user out everywhere (their account was disabled or their password changed).
    public func closeAll(of name: String) { entries = entries.filter { $0.value.identity.name != name } }

    /// Who of `role` is signed in here now (not idle), each once: at a station, the tech at
    /// the table is the one signed in on its tech page.
    public func signedIn(role: Account.Role) -> [String] {
        removeIdle()
        return Set(entries.values.map(\.identity).filter { $0.role == role }.map(\.name)).sorted()
    }

    private func removeIdle() {
        let now = ContinuousClock.now
        entries = entries.filter { now - $0.value.lastSeen < idleTimeout }
    }

    /// 256 random bits, URL-safe.
    public static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
