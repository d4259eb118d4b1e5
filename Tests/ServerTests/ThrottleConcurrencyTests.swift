import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Workflows
@testable import Server

/// The sign-in throttle holds when guesses arrive all at once, and counts the client a
/// TLS proxy names only when that proxy is trusted.
@Suite("the sign-in throttle under concurrency")
struct ThrottleConcurrencyTests {
    static func login(_ user: String, _ password: String) -> ByteBuffer {
        ByteBuffer(string: #"{"user":"\#(user)","password":"\#(password)"}"#)
    }

    @Test("40 wrong passwords for one name at once: 5 are checked (401), 35 wait (429), and then the right one waits too")
    func fortyAtOnce() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 0..<40 {
                    group.addTask {
                        try await client.execute(uri: "/api/login", method: .post, body: Self.login("dr.kim", "wrong guess \(attempt)")).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let checked = statuses.filter { $0 == .unauthorized }.count
            let waited = statuses.filter { $0 == .tooManyRequests }.count
            #expect(checked == 5, "\(checked) of 40 parallel wrong passwords were checked")
            #expect(waited == 35)
            let right = try await client.execute(uri: "/api/login", method: .post, body: Self.login("dr.kim", ReviewFixture.password))
            #expect(right.status == .tooManyRequests)
            // Another name from the same place is not held up by dr.kim's count.
            #expect(try await Login.signIn(client, "dr.lee") != nil)
        }
        // Exactly the five checked attempts are in the trail one by one.
        let failures = try await f.archive.auditEvents().filter { $0.action == "login" && $0.detail == "wrong password" }
        #expect(failures.count == 5)
    }

    @Test("a right password among parallel wrong ones still signs in, and clears the count")
    func rightAmongWrong() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 0..<3 {
                    group.addTask { try await client.execute(uri: "/api/login", method: .post, body: Self.login("sam", "wrong \(attempt)")).status }
                }
                group.addTask { try await client.execute(uri: "/api/login", method: .post, body: Self.login("sam", ReviewFixture.password)).status }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .unauthorized }.count == 3)
            // A success clears the count: after four mistakes and a sign-in, five more mistakes are allowed before the wait.
            for attempt in 0..<4 {
                #expect(try await client.execute(uri: "/api/login", method: .post, body: Self.login("dr.lee", "before \(attempt)")).status == .unauthorized)
            }
            #expect(try await Login.signIn(client, "dr.lee") != nil)
            for attempt in 0..<5 {
                #expect(try await client.execute(uri: "/api/login", method: .post, body: Self.login("dr.lee", "again \(attempt)")).status == .unauthorized)
            }
            #expect(try await client.execute(uri: "/api/login", method: .post, body: Self.login("dr.lee", "one more")).status == .tooManyRequests)
        }
    }

    /// 25 wrong sign-ins for 25 different made-up names, each with its own `X-Forwarded-For`,
    /// over a real socket from 127.0.0.1; the statuses in order.
    static func fromManyClients(_ proxy: ProxySettings, forwardedFor: @escaping @Sendable (Int) -> String) async throws -> [HTTPResponse.Status] {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, hasher: PasswordHasher(cost: 4), proxy: proxy)
        let app = Application(router: buildRouter(server), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<25 {
                let response = try await client.execute(uri: "/api/login", method: .post,
                                                        headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor(index)],
                                                        body: Self.login("guest\(index)", "not the password"))
                statuses.append(response.status)
            }
            return statuses
        }
    }

    @Test("behind a trusted proxy each client has its own count; the proxy's own address is not everyone's")
    func trustedProxy() async throws {
        let statuses = try await Self.fromManyClients(ProxySettings(trustedProxies: ["127.0.0.1"])) { "10.1.0.\($0)" }
        #expect(statuses.allSatisfy { $0 == .unauthorized }, "\(statuses.map(\.code))")
    }

    @Test("behind a trusted proxy, what the client wrote into X-Forwarded-For itself is not believed")
    func spoofedBehindTrustedProxy() async throws {
        // The client claims a new address each time; the proxy appends the one it saw.
        let statuses = try await Self.fromManyClients(ProxySettings(trustedProxies: ["127.0.0.1"])) { "10.1.0.\($0), 192.0.2.7" }
        #expect(statuses.prefix(20).allSatisfy { $0 == .unauthorized } && statuses.dropFirst(20).allSatisfy { $0 == .tooManyRequests },
                "\(statuses.map(\.code))")
    }

    @Test("without a trusted proxy X-Forwarded-For is ignored: the socket's address counts, and after 20 failures it waits")
    func untrustedHeader() async throws {
        let statuses = try await Self.fromManyClients(ProxySettings()) { "10.1.0.\($0)" }
        #expect(statuses.prefix(20).allSatisfy { $0 == .unauthorized } && statuses.dropFirst(20).allSatisfy { $0 == .tooManyRequests },
                "\(statuses.map(\.code))")
    }

    @Test("the client address: the peer unless it is a trusted proxy, then the nearest untrusted hop")
    func clientAddress() {
        let proxy = ProxySettings(trustedProxies: ["127.0.0.1", "[::1]", "10.9.9.9"])
        #expect(proxy.clientAddress(peer: "192.0.2.1", forwardedFor: ["203.0.113.5"]) == "192.0.2.1")
        #expect(proxy.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
        #expect(proxy.clientAddress(peer: "::1", forwardedFor: ["1.1.1.1, 203.0.113.5, 10.9.9.9"]) == "203.0.113.5")
        #expect(proxy.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.1.1.1", "203.0.113.5"]) == "203.0.113.5")
        #expect(proxy.clientAddress(peer: "127.0.0.1", forwardedFor: ["not an address"]) == "127.0.0.1")
        #expect(proxy.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(ProxySettings().clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5"]) == "127.0.0.1")
    }

    @Test("the settings file names the trusted proxies and the public host; they count only behind a TLS proxy")
    func settings() throws {
        let settings = try DaemonSettings(toml: """
            [server]
            behind_tls_proxy = true
            trusted_proxies = ["127.0.0.1", "::1"]
            public_host = "needlelog.clinic.example"
            """)
        #expect(settings.trustedProxies == ["127.0.0.1", "::1"] && settings.publicHost == "needlelog.clinic.example")
        #expect(settings.proxy(behindTLSProxy: true) == ProxySettings(trustedProxies: ["127.0.0.1", "::1"], publicHosts: ["needlelog.clinic.example"]))
        #expect(settings.proxy(behindTLSProxy: false) == ProxySettings())
        #expect(throws: DaemonSettings.Error.self) { try DaemonSettings(toml: "[server]\ntrusted_proxies = [\"proxy.local\"]") }
        #expect(throws: DaemonSettings.Error.self) { try DaemonSettings(toml: "[server]\npublic_host = \"evil/x\"") }
    }
}
