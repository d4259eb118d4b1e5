import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Records
import Testing
import Workflows
@testable import Server

/// Sign-in, cookies, CSRF, throttling, idle logoff, bad bodies and paths that try to leave the archive.
@Suite("guarding the clinical data")
struct SecurityTests {
    @Test("sign-in: a wrong password is refused and audited; the cookie is HttpOnly, SameSite=Strict and new at every sign-in")
    func signIn() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let wrong = try await client.execute(uri: "/api/login", method: .post, body: ByteBuffer(string: #"{"user":"dr.lee","password":"guess"}"#))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            let unknown = try await client.execute(uri: "/api/login", method: .post, body: ByteBuffer(string: #"{"user":"nobody","password":"guess"}"#))
            // The same answer for an unknown user: no hint which names exist.
            #expect(unknown.status == .unauthorized && errorMessage(unknown.body) == errorMessage(wrong.body))

            let planted = "planted-by-an-attacker"
            let response = try await client.execute(uri: "/api/login", method: .post,
                                                    headers: [.cookie: "\(AuthMiddleware.cookieName)=\(planted)"],
                                                    body: ByteBuffer(string: #"{"user":"Dr.Lee","password":"\#(ReviewFixture.password)"}"#))
            #expect(response.status == .ok)
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains(planted))
            let me = try await client.execute(uri: "/api/me", method: .get, headers: [.cookie: "\(AuthMiddleware.cookieName)=\(planted)"])
            #expect(me.status == .unauthorized)
            let first = try #require(try await Login.signIn(client, "dr.lee"))
            let second = try #require(try await Login.signIn(client, "dr.lee"))
            #expect(first.cookie != second.cookie && first.csrf != second.csrf && first.cookie.count >= 40)
            // Signing out ends that session only.
            #expect(try await client.execute(uri: "/api/logout", method: .post, headers: first.write).status == .noContent)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: first.read).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: second.read).status == .ok)
        }
        let logins = try await f.archive.auditEvents().filter { $0.action == "login" }
        #expect(logins.contains { $0.target == "user:dr.lee" && $0.outcome == .failure && $0.detail == "wrong password" })
        #expect(logins.contains { $0.target == "user:nobody" && $0.outcome == .failure && $0.detail == "unknown user" })
        #expect(logins.contains { $0.actor == "dr.lee" && $0.outcome == .success })
        // The audit trail never holds the password tried.
        #expect(!(try await f.archive.auditEvents()).contains { $0.detail.contains("guess") })
    }

    @Test("after five failures the next sign-in waits, even with the right password; a disabled account cannot sign in")
    func throttling() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/api/login", method: .post, body: ByteBuffer(string: #"{"user":"dr.kim","password":"nope"}"#))
                #expect(response.status == .unauthorized)
            }
            let throttled = try await client.execute(uri: "/api/login", method: .post,
                                                     body: ByteBuffer(string: #"{"user":"dr.kim","password":"\#(ReviewFixture.password)"}"#))
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(errorMessage(throttled.body).contains("wait"))
            // Another user from the same address may still sign in.

            let admin = try #require(try await Login.signIn(client, "root.admin"))
            let disable = try await client.execute(uri: "/api/users/sam", method: .post, headers: admin.write,
                                                   body: ByteBuffer(string: #"{"disabled":true}"#))
            #expect(disable.status == .ok)
            #expect(try await Login.signIn(client, "sam") == nil)
        }
        #expect(try await f.archive.auditEvents().contains { $0.action == "user-change" && $0.target == "user:sam" && $0.detail == "disabled" })
    }

    @Test("idle for longer than the timeout: signed out")
    func idleLogoff() async throws {
        // Generous margins: this suite runs beside forty others on two cores.
        // A 4 s timeout with 1 s steps: a step delayed by up to 3 s under load still counts
        // as the user being there.
        let f = try await ReviewFixture(idleTimeout: .milliseconds(4000))
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let login = try #require(try await Login.signIn(client, "dr.lee"))
            try await Task.sleep(for: .milliseconds(1000))
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: login.read).status == .ok)   // refreshes the timer
            try await Task.sleep(for: .milliseconds(1000))
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: login.read).status == .ok)
            try await Task.sleep(for: .milliseconds(4500))
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: login.read).status == .unauthorized)
        }
    }

    @Test("a change without the page's CSRF token, or from another site, is refused and changes nothing")
    func csrf() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0].id.uuidString.lowercased()
        let needle = ByteBuffer(string: #"{"entry":{"x":10,"y":10},"tip":{"x":100,"y":90}}"#)
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let login = try #require(try await Login.signIn(client, "dr.lee"))
            let uri = "/api/stills/\(still)/annotation"
            #expect(try await client.execute(uri: uri, method: .post, headers: login.read, body: needle).status == .forbidden)
            var wrongToken = login.read
            wrongToken[HTTPField.Name("X-CSRF-Token")!] = String(login.csrf.reversed())
            #expect(try await client.execute(uri: uri, method: .post, headers: wrongToken, body: needle).status == .forbidden)
            var foreign = login.write
            foreign[.origin] = "https://evil.example"
            let refused = try await client.execute(uri: uri, method: .post, headers: foreign, body: needle)
            #expect(refused.status == .forbidden && errorMessage(refused.body).contains("another site"))
            var crossSite = login.write
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            #expect(try await client.execute(uri: uri, method: .post, headers: crossSite, body: needle).status == .forbidden)
            // A sign-in posted from another site is refused as well (login CSRF).
            let foreignLogin = try await client.execute(uri: "/api/login", method: .post, headers: [.origin: "https://evil.example"],
                                                        body: ByteBuffer(string: #"{"user":"dr.lee","password":"\#(ReviewFixture.password)"}"#))
            #expect(foreignLogin.status == .forbidden)
            // With the token it works.
            #expect(try await client.execute(uri: uri, method: .post, headers: login.write, body: needle).status == .ok)
        }
        #expect(try await f.archive.annotationHistory(ofStill: f.lumbarStills[0].id).revisions.count == 1)
    }

    @Test("malformed and oversized JSON get 4xx and change nothing")
    func badBodies() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0].id.uuidString.lowercased()
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let login = try #require(try await Login.signIn(client, "dr.lee"))
            let uri = "/api/stills/\(still)/annotation"
            for body in [#"{"entry": "#, "[]", #"{"entry":{"x":1,"y":1}}"#, #"{"entry":{"x":5,"y":5},"tip":{"x":5,"y":5}}"#] {
                let response = try await client.execute(uri: uri, method: .post, headers: login.write, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
            }
            let same = try await client.execute(uri: uri, method: .post, headers: login.write,
                                                body: ByteBuffer(string: #"{"entry":{"x":5,"y":5},"tip":{"x":5,"y":5}}"#))
            #expect(errorMessage(same.body).contains("tip"))
            let huge = #"{"entry":{"x":1,"y":1},"tip":{"x":9,"y":9},"note":""# + String(repeating: "a", count: 200_000) + #""}"#
            let oversized = try await client.execute(uri: uri, method: .post, headers: login.write, body: ByteBuffer(string: huge))
            #expect(oversized.status == .contentTooLarge)
            let badLevel = try await client.execute(uri: "/api/search?level=L8", method: .get, headers: login.read)
            #expect(badLevel.status == .badRequest && errorMessage(badLevel.body).contains("L1-L5"))
            let badID = try await client.execute(uri: "/api/stills/not-an-id", method: .get, headers: login.read)
            #expect(badID.status == .badRequest && errorMessage(badID.body).contains("ids look like"))
        }
        #expect(try await f.archive.annotationHistory(ofStill: f.lumbarStills[0].id).revisions.isEmpty)
    }

    @Test("no route that serves files reaches outside the archive: ../, encoded, double-encoded, absolute, symlinks")
    func traversal() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        // A symbolic link planted where a still's file should be, pointing outside the archive.
        let secret = f.desk.root.deletingLastPathComponent().appendingPathComponent("needlelog-secret-\(UUID().uuidString).txt")
        try Data("root:x:0:0:SECRET".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let file = f.archive.files.url(for: f.lumbarStills[1].fileHash)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: secret)
        let attempts = [
            "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e%252fetc%252fpasswd", "//etc/passwd",
            "/api/stills/../../../etc/passwd", "/api/stills/..%2F..%2Fetc%2Fpasswd.png", "/api/stills/%2Fetc%2Fpasswd.png",
            "/api/stills/%252e%252e%252fetc%252fpasswd.png", "/api/stills/\(still.id.uuidString)/../../../etc/passwd",
            "/api/stills/..%2F..%2F..%2Fetc%2Fpasswd/annotated.png", "/api/sessions/..%2F..%2Fetc%2Fpasswd/report",
            "/review.js/../../../../etc/passwd", "/still/..%2F..%2FPackage.swift", "/%2Fetc%2Fpasswd",
            "/api/stills/\(f.lumbarStills[1].id.uuidString.lowercased()).png",   // the symlinked one
        ]
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let login = try #require(try await Login.signIn(client, "dr.lee"))
            for uri in attempts {
                let response = try await client.execute(uri: uri, method: .get, headers: login.read)
                let body = String(buffer: response.body)
                #expect(!body.contains("root:x:0:0") && !body.contains("SECRET") && !body.contains("swift-tools-version"), "\(uri)")
                #expect(response.status != .ok, "\(uri) answered 200")
            }
            // The real still still comes back.
            let good = try await client.execute(uri: "/api/stills/\(still.id.uuidString.lowercased()).png", method: .get, headers: login.read)
            #expect(good.status == .ok && Data(buffer: good.body).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}

@Suite("behind a TLS proxy")
struct TLSProxyCookieTests {
    @Test("cookies carry Secure when the daemon says a TLS proxy is in front")
    func secureCookie() async throws {
        let base = try await ReviewFixture()
        defer { base.remove() }
        let server = NeedleServer(archive: base.archive, desk: base.desk.desk, hasher: PasswordHasher(cost: 4), secureCookies: true)
        try await Application(router: buildRouter(server)).test(.router) { client in
            let response = try await client.execute(uri: "/api/login", method: .post,
                                                    body: ByteBuffer(string: #"{"user":"dr.lee","password":"\#(ReviewFixture.password)"}"#))
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        }
    }
}
