import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// Signing over HTTP: only the session's physician, with their password entered again and
/// the page's CSRF token; afterwards the record reads as signed and each change is an
/// addendum with its author and reason, in the page's data and the printed report.
@Suite("signing a record and its addenda over the API")
struct SignatureAPITests {
    struct Detail: Decodable {
        struct Session: Decodable { var notes: String; var painScores: PainScores }
        struct Revision: Decodable { var version: Int }
        struct AddendumBody: Decodable {
            var number: Int
            var author: String
            var authorName: String?
            var reason: String
            var changes: [Addendum.Change]
        }
        var session: Session
        var amended: Session?
        var revision: Revision
        var signedBy: String?
        var signedByName: String?
        var signedAt: String?
        var recordHash: String?
        var addenda: [AddendumBody]
    }

    struct Rows: Decodable {
        struct Row: Decodable { var id: String; var signedAt: String? }
        var sessions: [Row]
    }

    @Test("dr.lee signs the lumbar record; dr.kim's later edit is an addendum and the signed notes stay")
    func signThenAmend() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let id = f.lumbar.id.uuidString.lowercased()
        let path = "/api/sessions/\(id)"
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let kim = try #require(try await Login.signIn(client, "dr.kim"))
            let sam = try #require(try await Login.signIn(client, "sam"))
            func post(_ uri: String, _ login: Login, headers: HTTPFields? = nil, _ body: String) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: headers ?? login.write, body: ByteBuffer(string: body))
            }
            func detail() async throws -> Detail { try decode(Detail.self, try await client.execute(uri: path, method: .get, headers: lee.read).body) }
            func toSign() async throws -> [String] {
                try decode(Rows.self, try await client.execute(uri: "/api/sessions?tosign=true", method: .get, headers: lee.read).body).sessions.map(\.id)
            }

            #expect(try await post(path + "/record", lee, #"{"notes":"tolerated well"}"#).status == .ok)
            let password = #""password":"\#(ReviewFixture.password)""#
            let recording = try await post(path + "/sign", lee, "{\(password)}")
            #expect(recording.status == .conflict && errorMessage(recording.body).contains("still recording"))
            _ = try await f.archive.endSession(f.lumbar.id, as: .completed, reason: nil, at: f.lumbar.startedAt.addingTimeInterval(1200))
            #expect(try await toSign().contains(id))

            let version = try await detail().revision.version
            let byKim = try await post(path + "/sign", kim, "{\(password)}")
            #expect(byKim.status == .forbidden && errorMessage(byKim.body).contains("only dr.lee"))
            let wrong = try await post(path + "/sign", lee, #"{"password":"not mine at all"}"#)
            #expect(wrong.status == .forbidden && errorMessage(wrong.body).contains("not your password"))
            #expect(try await post(path + "/sign", lee, headers: lee.read, "{\(password)}").status == .forbidden, "no CSRF token, no signature")
            #expect(try await post(path + "/sign", sam, "{\(password)}").status == .forbidden)
            let stale = try await post(path + "/sign", lee, "{\(password),\"version\":\(version - 1)}")
            #expect(stale.status == .conflict, "a record changed since it was read is not signed")
            #expect(try await detail().signedBy == nil)

            let signed = try await post(path + "/sign", lee, "{\(password),\"version\":\(version)}")
            #expect(signed.status == .ok, "\(errorMessage(signed.body))")
            var now = try await detail()
            #expect(now.signedBy == "dr.lee" && now.signedByName == "Ann Lee, MD" && now.signedAt != nil && now.recordHash?.count == 64)
            #expect(now.addenda.isEmpty && now.amended == nil)
            #expect(try await toSign().isEmpty)
            #expect(try await post(path + "/sign", lee, "{\(password)}").status == .conflict, "signed once")

            let unexplained = try await post(path + "/record", kim, #"{"notes":"tolerated well; vasovagal, settled"}"#)
            #expect(unexplained.status == .badRequest && errorMessage(unexplained.body).contains("say why"), "\(errorMessage(unexplained.body))")
            let amended = try await post(path + "/record", kim, #"{"notes":"tolerated well; vasovagal, settled","painAfter":2,"reason":"episode after the last injection"}"#)
            #expect(amended.status == .ok)
            let still = f.lumbarStills[0].id.uuidString.lowercased()
            let retag = try await post("/api/stills/\(still)/tag", lee, #"{"site":"L5-S1","side":"left","structure":"facet-capsule","basedOn":1,"note":"counted from the sacrum"}"#)
            #expect(retag.status == .ok)

            now = try await detail()
            #expect(now.session.notes == "tolerated well" && now.session.painScores.after == 3, "the record reads as signed")
            #expect(now.amended?.notes == "tolerated well; vasovagal, settled" && now.amended?.painScores.after == 2)
            #expect(now.addenda.map(\.number) == [1, 2] && now.addenda.map(\.author) == ["dr.kim", "dr.lee"])
            #expect(now.addenda[0].authorName == "Jo Kim, DO" && now.addenda[0].reason == "episode after the last injection")
            #expect(now.addenda[0].changes.map(\.field) == ["notes", "pain after"])
            #expect(now.addenda[1].changes == [Addendum.Change(field: "tag", still: f.lumbarStills[0].id, before: "left L4-L5 facet-capsule",
                                                                after: "left L5-S1 facet-capsule")])

            // The report prints the record as signed (the still's tag then), the addenda after it.
            let report = String(buffer: try await client.execute(uri: path + "/report", method: .get, headers: lee.read).body)
            #expect(report.contains("Signed by Ann Lee, MD (dr.lee)") && report.contains(now.recordHash ?? "-"))
            #expect(report.contains("12.0 s · left L4-L5 facet-capsule") && !report.contains("12.0 s · left L5-S1"))
            #expect(report.contains("Addendum 1</b> by Jo Kim, DO (dr.kim)") && report.contains("Reason: episode after the last injection"))
            #expect(report.contains("notes: tolerated well → tolerated well; vasovagal, settled"))
            #expect(report.contains("tag (still at 12.0 s): left L4-L5 facet-capsule → left L5-S1 facet-capsule"))
            #expect(report.range(of: "Signature")!.lowerBound < report.range(of: "Addendum 1")!.lowerBound)

            let techList = try await client.execute(uri: "/api/sessions?tosign=true", method: .get, headers: sam.read)
            #expect(techList.status == .badRequest)
        }
        let events = try await f.archive.auditEvents(patient: "P-1")
        #expect(events.contains { $0.action == "sign" && $0.outcome == .success && $0.actor == "dr.lee" })
        #expect(events.contains { $0.action == "sign" && $0.outcome == .denied && $0.detail == "wrong password" })
        #expect(events.filter { $0.action == "addendum" }.count == 2)
        #expect(try await f.archive.verifyAudit().isIntact)
    }
}
