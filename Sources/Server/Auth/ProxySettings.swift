import Foundation
import NIOCore

/// What stands in front of the daemon when it is reached through a TLS proxy
/// (`behind_tls_proxy`): which proxies' `X-Forwarded-For` is believed, and the public
/// name browsers use for it.
public struct ProxySettings: Sendable, Equatable {
    /// Addresses of the proxies whose `X-Forwarded-For` names the client. Empty: the
    /// header is ignored and the client is the socket's peer, whoever wrote the header.
    public var trustedProxies: Set<String>
    /// `Host` values browsers send through the proxy (`needlelog.clinic.example`, or with a
    /// port). A name without a port also matches it with `:443`.
    public var publicHosts: [String]

    public init(trustedProxies: [String] = [], publicHosts: [String] = []) {
        self.trustedProxies = Set(trustedProxies.map(Self.normalizedAddress))
        self.publicHosts = publicHosts.map { $0.lowercased() }
    }

    /// The client's address for throttling and logs: the socket's peer, unless that peer
    /// is a trusted proxy, in which case the nearest address in `X-Forwarded-For` that is
    /// not itself a trusted proxy. Read from the right: each proxy appends the address it
    /// saw, so the entries to the left of the last trusted hop are the client's own
    /// claims and may be anything.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "local" }
        guard trustedProxies.contains(Self.normalizedAddress(peer)), !forwardedFor.isEmpty else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { Self.normalizedAddress($0.trimmingCharacters(in: .whitespaces)) }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            // A hop that is not an address at all ends the trust: the proxy wrote addresses only.
            return Self.isAddress(hop) ? hop : peer
        }
        return peer
    }

    /// An address as compared here: without `[...]` around IPv6, lower-case.
    static func normalizedAddress(_ text: String) -> String {
        var text = text.lowercased()
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { text = String(text[text.index(after: text.startIndex)..<end]) }
        return text
    }

    /// True for an IPv4 or IPv6 address in text form.
    public static func isAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
