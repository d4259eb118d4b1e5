import Foundation
import Hummingbird
import NIOCore

/// The `Host` a request names must be this daemon's: a loopback name or the address the
/// connection arrived at, with the port it arrived at, or the public name configured for
/// the TLS proxy. A page from another site whose name an attacker points at 127.0.0.1
/// (DNS rebinding) names that site in `Host`, so it is refused before anything runs,
/// and the same-origin checks that follow cannot be fooled by it either.
struct HostCheck: Sendable {
    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
    let publicHosts: [String]

    /// - Parameters:
    ///   - authority: the request's `Host` (HTTP/1.1) or `:authority` (HTTP/2).
    ///   - local: the socket address the connection arrived at; nil when there is no socket (tests).
    /// - Throws: 400 without a `Host`, 421 for a `Host` that is not this daemon's.
    func check(_ authority: String?, local: SocketAddress?) throws {
        let port = local?.port
        let expected = Self.loopbackNames.sorted().map { Self.authority($0, port: port) }.joined(separator: ", ")
        guard let authority, !authority.isEmpty else {
            throw HTTPError(.badRequest, message: "the request has no Host header: name this daemon, for example \(Self.authority("127.0.0.1", port: port))")
        }
        guard let (name, requestPort) = Self.split(authority) else {
            throw HTTPError(.badRequest, message: "Host \(authority.prefix(100)) is not a host name with an optional port: name this daemon, for example \(Self.authority("127.0.0.1", port: port))")
        }
        var ownNames = Self.loopbackNames
        if let ip = local?.ipAddress { ownNames.insert(ProxySettings.normalizedAddress(ip)) }
        if ownNames.contains(name) {
            // No port at all is a client on this machine that leaves it out (no browser does
            // for a port other than 80); otherwise it must be the port the socket listens on.
            if requestPort == nil || port == nil || requestPort == port { return }
        }
        for configured in publicHosts {
            guard let (publicName, publicPort) = Self.split(configured), publicName == name else { continue }
            if requestPort == publicPort || (publicPort == nil && requestPort == 443) { return }
        }
        let publicList = publicHosts.isEmpty
            ? " (behind a TLS proxy, name the public host in server.public_host)"
            : ", or through the TLS proxy as \(publicHosts.joined(separator: ", "))"
        throw HTTPError(.misdirectedRequest, message: "this daemon does not answer for Host \(authority.prefix(100)): reach it as \(expected)\(publicList)")
    }

    /// `name:port`, bracketing an IPv6 address.
    static func authority(_ name: String, port: Int?) -> String {
        let host = name.contains(":") ? "[\(name)]" : name
        return port.map { "\(host):\($0)" } ?? host
    }

    /// The lower-cased name (IPv6 without brackets) and the port, or nil when malformed.
    static func split(_ authority: String) -> (name: String, port: Int?)? {
        let text = authority.lowercased()
        var name: Substring
        var rest: Substring
        if text.hasPrefix("[") {
            guard let end = text.firstIndex(of: "]") else { return nil }
            name = text[text.index(after: text.startIndex)..<end]
            rest = text[text.index(after: end)...]
        } else if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            rest = text[colon...]
        } else {
            name = text[...]
            rest = ""
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-:")
        guard !name.isEmpty, name.allSatisfy(allowed.contains) else { return nil }
        if rest.isEmpty { return (String(name), nil) }
        let digits = rest.dropFirst()
        guard rest.first == ":", !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(digits), (1...65535).contains(port) else { return nil }
        return (String(name), port)
    }
}
