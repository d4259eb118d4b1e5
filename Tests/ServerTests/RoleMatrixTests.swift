import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// Every route against every role: what each may do is exactly the permission table.
@Suite("who may do what")
struct RoleMatrixTests {
    enum Who: String, CaseIterable { case nobody, tech, physician, admin }

    struct Route {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?
        /// nobody, tech (sam), physician (dr.lee), admin.
        var expected: [HTTPResponse.Status]
    }

    @Test("every route x every role gets the expected status")
    func matrix() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let own = f.lumbarStills[0].id.uuidString.lowercased()
        let other = f.cervicalStill.id.uuidString.lowercased()
        let session = f.lumbar.id.uuidString.lowercased()
        let othersSession = f.cervical.id.uuidString.lowercased()
        let ok = HTTPResponse.Status.ok, no = HTTPResponse.Status.forbidden, anon = HTTPResponse.Status.unauthorized
        let needle = #"{"entry":{"x":40,"y":20},"tip":{"x":160,"y":140},"target":{"x":170,"y":150},"note":"in the capsule"}"#
        let routes: [Route] = [
            Route(method: .get, uri: "/api/me", expected: [anon, ok, ok, ok]),
            Route(method: .get, uri: "/api/status", expected: [anon, ok, ok, no]),
            Route(method: .post, uri: "/api/snap", expected: [anon, .conflict, .conflict, no]),
            Route(method: .post, uri: "/api/tag", body: #"{"site":"L4-L5"}"#, expected: [anon, .conflict, .conflict, no]),
            Route(method: .post, uri: "/api/voice/undo", expected: [anon, .notFound, .notFound, no]),
            Route(method: .get, uri: "/api/preview.png", expected: [anon, .notFound, .notFound, no]),
            Route(method: .get, uri: "/metrics", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/sessions", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/sessions/\(session)", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/sessions/\(othersSession)", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/stills/\(own)", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/stills/\(other)", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/stills/\(own).png", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/stills/\(other).png", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/search?level=L4", expected: [anon, ok, ok, no]),
            Route(method: .post, uri: "/api/stills/\(own)/annotation", body: needle, expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/stills/\(own)/restore", body: #"{"revision":1,"basedOn":1}"#, expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/stills/\(own)/accept-suggestion", body: #"{"detector":"needle-1","basedOn":2}"#, expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/stills/\(own)/tag", body: #"{"site":"L4-L5","side":"right","basedOn":1}"#, expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/sessions/\(session)/scale", body: #"{"pixels":100,"millimetres":10}"#, expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/stills/\(own)/injection",
                  body: #"{"injectate":{"kind":"prolotherapy","dextrosePercent":15},"volumeMillilitres":1}"#, expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/stills/\(own)/annotated.png", expected: [anon, no, ok, no]),
            Route(method: .post, uri: "/api/sessions/\(session)/record", body: #"{"painAfter":2}"#, expected: [anon, no, ok, no]),
            // The fixture's session is still recording: the physician may sign, but not yet.
            Route(method: .post, uri: "/api/sessions/\(session)/sign", body: #"{"password":"correct horse battery"}"#,
                  expected: [anon, no, .conflict, no]),
            Route(method: .get, uri: "/api/sessions?tosign=true", expected: [anon, .badRequest, ok, no]),
            Route(method: .get, uri: "/api/sessions/\(session)/clip?at=1", expected: [anon, .notFound, .notFound, no]),
            Route(method: .get, uri: "/api/sessions/\(session)/report", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/patients/P-1/series", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/patients/P-1/pain.svg", expected: [anon, no, ok, no]),
            Route(method: .get, uri: "/api/patients?q=P-", expected: [anon, ok, ok, no]),
            Route(method: .get, uri: "/api/staff?duty=physician", expected: [anon, ok, ok, no]),
            Route(method: .post, uri: "/api/patients", body: #"{"id":"P-9","familyName":"Poe","givenName":"Ann","birthDate":"1980-02-03"}"#,
                  expected: [anon, .created, .conflict, no]),
            Route(method: .get, uri: "/api/users", expected: [anon, no, no, ok]),
            Route(method: .post, uri: "/api/users", body: #"{"name":"new.tech","role":"tech","person":{"family":"Nakamura","given":"Yui"},"password":"a long enough one"}"#,
                  expected: [anon, no, no, .created]),
            Route(method: .post, uri: "/api/users/new.tech", body: #"{"disabled":true}"#, expected: [anon, no, no, ok]),
            Route(method: .get, uri: "/api/audit", expected: [anon, no, no, ok]),
            Route(method: .post, uri: "/api/session/stop", expected: [anon, ok, ok, no]),
        ]
        try await f.archive.saveNeedleSuggestion(NeedleSuggestion(entry: ImagePoint(x: 40, y: 20), tip: ImagePoint(x: 150, y: 130), confidence: 0.9,
                                                                  detector: "needle-1"), forStill: f.lumbarStills[0].id, detector: "needle-1", at: Date())
        let app = Application(router: buildRouter(f.server))
        try await app.test(.router) { client in
            var logins: [Who: Login] = [:]
            for (who, user) in [(Who.tech, "sam"), (.physician, "dr.lee"), (.admin, "root.admin")] {
                logins[who] = try await Login.signIn(client, user)
            }
            for route in routes {
                for (index, who) in Who.allCases.enumerated() {
                    let headers = logins[who].map { route.method == .get ? $0.read : $0.write } ?? [:]
                    let response = try await client.execute(uri: route.uri, method: route.method, headers: headers,
                                                            body: route.body.map { ByteBuffer(string: $0) })
                    #expect(response.status == route.expected[index], "\(route.method) \(route.uri) as \(who): \(String(buffer: response.body))")
                }
            }
        }
        // Refusals are in the audit trail too.
        let events = try await f.archive.auditEvents()
        #expect(events.contains { $0.actor == "sam" && $0.action == "view-session" && $0.outcome == .denied })
        #expect(events.contains { $0.actor == "root.admin" && $0.action == "annotate" && $0.outcome == .denied })
        #expect(try await f.archive.verifyAudit().isIntact)
    }
}
