import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// The suggestion on the still's API and its acceptance: the line the archive keeps (not
/// one the page sends), saved as the physician's revision marked with the detector, and
/// refused when there is none or it was remade since the page showed it.
@Suite("accepting a needle suggestion")
struct NeedleSuggestionAPITests {
    struct Detail: Decodable {
        struct Suggestion: Decodable { var detector: String; var found: Bool; var entry: ImagePoint?; var tip: ImagePoint?; var confidence: Double?; var angleDegrees: Double? }
        var suggestion: Suggestion?
    }
    struct Saved: Decodable { var revision: Int; var author: String; var entry: ImagePoint; var tip: ImagePoint; var suggestedBy: String? }

    @Test("the still's detail carries the suggestion; accepting it saves it as a revision; none, or another detector's, is refused")
    func accept() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let (first, second) = (f.lumbarStills[0], f.lumbarStills[1])
        let line = NeedleSuggestion(entry: ImagePoint(x: 12, y: 30.5), tip: ImagePoint(x: 150.25, y: 128), confidence: 0.87, detector: "needle-1")
        try await f.archive.saveNeedleSuggestion(line, forStill: first.id, detector: "needle-1", at: Date())
        try await f.archive.saveNeedleSuggestion(nil, forStill: second.id, detector: "needle-1", at: Date())
        @Sendable func uri(_ still: Still) -> String { "/api/stills/\(still.id.uuidString.lowercased())" }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let detail = try decode(Detail.self, try await client.execute(uri: uri(first), method: .get, headers: lee.read).body)
            #expect(detail.suggestion?.found == true && detail.suggestion?.tip == line.tip && detail.suggestion?.confidence == 0.87)
            #expect(abs((detail.suggestion?.angleDegrees ?? 0) - line.angleDegrees) < 1e-9)
            let none = try decode(Detail.self, try await client.execute(uri: uri(second), method: .get, headers: lee.read).body)
            #expect(none.suggestion?.found == false && none.suggestion?.tip == nil)
            let cervical = try decode(Detail.self, try await client.execute(uri: "/api/stills/\(f.cervicalStill.id.uuidString.lowercased())",
                                                                             method: .get, headers: lee.read).body)
            #expect(cervical.suggestion == nil, "not looked at yet")

            // Nothing to accept on a still the detector found no needle on.
            let refused = try await client.execute(uri: uri(second) + "/accept-suggestion", method: .post, headers: lee.write,
                                                   body: ByteBuffer(string: #"{"detector":"needle-1"}"#))
            #expect(refused.status == .conflict && errorMessage(refused.body).contains("no needle suggestion to accept"))
            // The page showed an older detector's line.
            let stale = try await client.execute(uri: uri(first) + "/accept-suggestion", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"detector":"needle-0"}"#))
            #expect(stale.status == .conflict && errorMessage(stale.body).contains("reload"))

            let accepted = try await client.execute(uri: uri(first) + "/accept-suggestion", method: .post, headers: lee.write,
                                                    body: ByteBuffer(string: #"{"detector":"needle-1","target":{"x":160,"y":140}}"#))
            #expect(accepted.status == .ok)
            let saved = try decode(Saved.self, accepted.body)
            #expect(saved.revision == 1 && saved.author == "dr.lee" && saved.entry == line.entry && saved.tip == line.tip && saved.suggestedBy == "needle-1")
            // Accepting again on top needs the revision the page had open.
            let again = try await client.execute(uri: uri(first) + "/accept-suggestion", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"detector":"needle-1"}"#))
            #expect(again.status == .conflict)
        }
        let history = try await f.archive.annotationHistory(ofStill: first.id)
        #expect(history.revisions.count == 1 && history.current?.target == ImagePoint(x: 160, y: 140))
        let events = try await f.archive.auditEvents().filter { $0.action == "annotate" && $0.target == "still:\(first.id.uuidString.lowercased())" }
        #expect(events.contains { $0.outcome == .success && $0.actor == "dr.lee" })
        #expect(events.contains { $0.outcome == .failure })
    }
}
