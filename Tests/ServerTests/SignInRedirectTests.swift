import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// After sign-in the browser goes where it was going (`/?next=...`), but only ever to
/// one of the daemon's own pages: a crafted link must not send a freshly signed-in
/// clinician to another site.
@Suite("sign-in never leads to another site")
struct SignInRedirectTests {
    /// What a link could carry in `next` to lead away: each is read by a browser as another host.
    static let foreign = [#"/\evil.example"#, "//evil", "https://evil", "/\t/evil.example", "\\/evil", "javascript:alert(1)",
                          "/session?id=1\\@evil", "//evil/session", "/%2F/evil", "/sessions/../evil", "http:/evil", ""]

    /// Signs in as `user` with `next`, and returns where the answer says to go.
    static func location(_ client: some TestClientProtocol, _ user: String, _ next: String) async throws -> String? {
        let body = try JSONSerialization.data(withJSONObject: ["user": user, "password": ReviewFixture.password, "next": next])
        let response = try await client.execute(uri: "/api/login", method: .post, headers: [:], body: ByteBuffer(data: body))
        #expect(response.status == .ok)
        return try decode(AuthController.Me.self, response.body).location
    }

    @Test("the sign-in answer's location is a local page for every foreign next, and the page asked for otherwise")
    func signInLocation() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client async throws in
            let location = { (user: String, next: String) async throws -> String? in try await Self.location(client, user, next) }
            for next in Self.foreign {
                #expect(try await location("dr.lee", next) == "/sessions", "\(next)")
                #expect(try await location("sam", next) == "/tech", "\(next)")
            }
            let session = "/session?id=\(f.lumbar.id.uuidString.lowercased())"
            #expect(try await location("dr.lee", session) == session)
            #expect(try await location("dr.lee", "/search?level=L4-L5&side=left#results") == "/search?level=L4-L5&side=left")
            #expect(try await location("root.admin", "/users") == "/users")
        }
    }

    @Test("a browser already signed in is sent on by /api/me?next= with the same rule")
    func alreadySignedIn() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            for next in Self.foreign + ["/still?id=abc"] {
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await client.execute(uri: "/api/me?next=\(encoded)", method: .get, headers: lee.read)
                let expected = next == "/still?id=abc" ? next : "/sessions"
                #expect(try decode(AuthController.Me.self, response.body).location == expected, "\(next)")
            }
        }
    }
}
