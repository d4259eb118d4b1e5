import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Workflows
@testable import Server

/// DNS rebinding: a page on another site whose name is made to resolve to 127.0.0.1
/// reaches the loopback daemon with that site's name in `Host`. The daemon answers
/// only for its own names.
@Suite("the daemon answers only for its own Host")
struct HostCheckTests {
    /// The status and error message of a request sent over a real socket with `authority` as its `Host`.
    static func send(_ port: Int, _ authority: String?, _ uri: String = "/", method: HTTPRequest.Method = .get,
                     headers: HTTPFields = [:], body: String? = nil) async throws -> (status: Int, message: String, headers: HTTPFields) {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.execute(.init(uri, method: method, authority: authority, headers: headers,
                                                          body: body.map { ByteBuffer(string: $0) }))
            return (response.status.code, errorMessage(response.body ?? ByteBuffer()), response.headers)
        }
    }

    static func live<Value: Sendable>(_ server: NeedleServer, _ body: @escaping @Sendable (Int) async throws -> Value) async throws -> Value {
        let app = Application(router: buildRouter(server), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body(try #require(client.port)) }
    }

    @Test("another site's name is refused with 421 and a JSON message, before sign-in, pages or data")
    func rebinding() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let signIn = #"{"user":"dr.lee","password":"\#(ReviewFixture.password)"}"#
        try await Self.live(f.server) { port in
            for authority in ["evil.example", "evil.example:\(port)", "localhost.evil.example:\(port)", "127.0.0.1.nip.io:\(port)"] {
                let page = try await Self.send(port, authority, "/sessions")
                #expect(page.status == 421, "\(authority)")
                #expect(page.message.contains("does not answer for Host \(authority)") && page.message.contains("127.0.0.1:\(port)"), "\(page.message)")
                let login = try await Self.send(port, authority, "/api/login", method: .post, body: signIn)
                #expect(login.status == 421 && login.headers[.setCookie] == nil, "\(authority)")
            }
            // A signed-in browser's cookie does not help a rebound page either.
            let login = try await Self.send(port, "127.0.0.1:\(port)", "/api/login", method: .post, body: signIn)
            #expect(login.status == 200)
            let cookie = try #require(login.headers[.setCookie]).split(separator: ";")[0]
            #expect(try await Self.send(port, "127.0.0.1:\(port)", "/api/sessions", headers: [.cookie: String(cookie)]).status == 200)
            #expect(try await Self.send(port, "evil.example:\(port)", "/api/sessions", headers: [.cookie: String(cookie)]).status == 421)
        }
    }

    @Test("its own names answer: 127.0.0.1, localhost and [::1] with its port; another port is refused")
    func ownNames() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Self.live(f.server) { port in
            for authority in ["127.0.0.1:\(port)", "localhost:\(port)", "LocalHost:\(port)", "[::1]:\(port)", "localhost", "[::1]"] {
                #expect(try await Self.send(port, authority, "/sessions").status == 200, "\(authority)")
            }
            for authority in ["127.0.0.1:\(port == 65535 ? 1 : port + 1)", "localhost:80"] {
                #expect(try await Self.send(port, authority, "/sessions").status == 421, "\(authority)")
            }
            for authority in ["127.0.0.1:+\(port)", "127.0.0.1:\(port)@evil.example", "evil.example/x"] {
                let refused = try await Self.send(port, authority, "/sessions")
                #expect(refused.status == 400 && refused.message.contains("not a host name"), "\(authority)")
            }
            let none = try await Self.send(port, nil, "/sessions")
            #expect(none.status == 400 && none.message.contains("no Host"))
        }
    }

    @Test("behind the TLS proxy, the configured public name answers too, with no port or :443")
    func publicHost() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, hasher: PasswordHasher(cost: 4), secureCookies: true,
                                  proxy: ProxySettings(publicHosts: ["needlelog.clinic.example"]))
        try await Self.live(server) { port in
            #expect(try await Self.send(port, "needlelog.clinic.example", "/sessions").status == 200)
            #expect(try await Self.send(port, "needlelog.clinic.example:443", "/sessions").status == 200)
            #expect(try await Self.send(port, "needlelog.clinic.example:8443", "/sessions").status == 421)
            let other = try await Self.send(port, "clinic.example", "/sessions")
            #expect(other.status == 421 && other.message.contains("through the TLS proxy as needlelog.clinic.example"))
        }
    }

    @Test("Host parsing: name and port, IPv6 in brackets, nothing else")
    func parsing() {
        #expect(HostCheck.split("LocalHost:8080")! == ("localhost", 8080))
        #expect(HostCheck.split("[::1]:8080")! == ("::1", 8080))
        #expect(HostCheck.split("example.org")! == ("example.org", nil))
        for bad in ["", ":80", "::1", "a:b", "a:+80", "a:080808", "a b:80", "a/b", "[::1", "a:0", "a:65536", #"a\b"#] {
            #expect(HostCheck.split(bad) == nil, "\(bad)")
        }
    }
}
