import Anatomy
import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Media
import Records
import Testing
@testable import Server

/// Needle revisions, conflicts between two physicians, restoring, retagging.
@Suite("annotation revisions and conflicts")
struct RevisionTests {
    struct Saved: Decodable { var revision: Int; var author: String; var entry: ImagePoint; var tip: ImagePoint }

    @Test("two physicians at once: the second save is told of the conflict, nothing is lost, and a restore is a new revision")
    func conflicts() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let uri = "/api/stills/\(f.lumbarStills[0].id.uuidString.lowercased())"
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let kim = try #require(try await Login.signIn(client, "dr.kim"))
            let first = try await client.execute(uri: uri + "/annotation", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"entry":{"x":20,"y":10},"tip":{"x":120,"y":110},"note":"first pass"}"#))
            #expect(first.status == .ok)
            #expect(try decode(Saved.self, first.body).revision == 1)
            // Both open revision 1; Kim saves first.
            let kims = try await client.execute(uri: uri + "/annotation", method: .post, headers: kim.write,
                                                body: ByteBuffer(string: #"{"entry":{"x":22,"y":12},"tip":{"x":150,"y":130},"basedOn":1}"#))
            #expect(kims.status == .ok)
            #expect(try decode(Saved.self, kims.body).revision == 2)
            let lees = try await client.execute(uri: uri + "/annotation", method: .post, headers: lee.write,
                                                body: ByteBuffer(string: #"{"entry":{"x":25,"y":15},"tip":{"x":90,"y":160},"basedOn":1}"#))
            #expect(lees.status == .conflict)
            #expect(errorMessage(lees.body).contains("dr.kim saved revision 2") && errorMessage(lees.body).contains("reload"))
            // Lee reloads and saves on top: revision 3, Kim's revision 2 kept.
            let again = try await client.execute(uri: uri + "/annotation", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"entry":{"x":25,"y":15},"tip":{"x":90,"y":160},"basedOn":2}"#))
            #expect(try decode(Saved.self, again.body).revision == 3)
            // Restoring revision 1 makes revision 4 with revision 1's points.
            let restored = try await client.execute(uri: uri + "/restore", method: .post, headers: kim.write,
                                                    body: ByteBuffer(string: #"{"revision":1,"basedOn":3}"#))
            let four = try decode(Saved.self, restored.body)
            #expect(four.revision == 4 && four.author == "dr.kim" && four.entry == ImagePoint(x: 20, y: 10) && four.tip == ImagePoint(x: 120, y: 110))
            let stale = try await client.execute(uri: uri + "/restore", method: .post, headers: kim.write,
                                                 body: ByteBuffer(string: #"{"revision":2,"basedOn":3}"#))
            #expect(stale.status == .conflict)
        }
        let history = try await f.archive.annotationHistory(ofStill: f.lumbarStills[0].id)
        #expect(history.revisions.map(\.author) == ["dr.lee", "dr.kim", "dr.lee", "dr.kim"])
        #expect(history.revisions.map(\.tip.x) == [120, 150, 90, 120])
        #expect(history.revision(4)?.note == "restored revision 1")
        let annotated = try await f.archive.search(StillSearch(annotated: true))
        #expect(annotated.map(\.still.id) == [f.lumbarStills[0].id])
        #expect(try await f.archive.auditEvents().filter { $0.action == "annotate" && $0.outcome == .failure }.map(\.detail).contains("conflict"))
    }

    @Test("retagging keeps capture's tag as revision 1 and moves the still in search")
    func retag() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        #expect(try await f.archive.search(StillSearch(site: SiteQuery(AnatomicSiteParse("L3-L4"), exactOnly: true))).isEmpty)
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let uri = "/api/stills/\(still.id.uuidString.lowercased())/tag"
            let response = try await client.execute(uri: uri, method: .post, headers: lee.write,
                                                    body: ByteBuffer(string: #"{"site":"L3/4","structure":"facet","side":"left","note":"counted from the sacrum","basedOn":1}"#))
            #expect(response.status == .ok)
            let stale = try await client.execute(uri: uri, method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"site":"L2-L3","basedOn":1}"#))
            #expect(stale.status == .conflict)
            let wrong = try await client.execute(uri: uri, method: .post, headers: lee.write, body: ByteBuffer(string: #"{"site":"L9","basedOn":2}"#))
            #expect(wrong.status == .badRequest && errorMessage(wrong.body).contains("L1-L5"))
        }
        let history = try await f.archive.tagHistory(ofStill: still.id)
        #expect(history.map(\.tag?.description) == ["left L4-L5 facet-capsule", "left L3-L4 facet-capsule"])
        #expect(history.map(\.author) == ["capture", "dr.lee"])
        #expect(history[1].note == "counted from the sacrum")
        let found = try await f.archive.search(StillSearch(site: SiteQuery(AnatomicSiteParse("L3-L4"), exactOnly: true)))
        #expect(found.map(\.still.id) == [still.id])
        #expect(try await f.archive.search(StillSearch(site: SiteQuery(AnatomicSiteParse("L4-L5"), exactOnly: true))).isEmpty)
    }

    @Test("the annotated PNG has the needle drawn; the report and the series show the session")
    func exports() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let base = "/api/stills/\(still.id.uuidString.lowercased())"
            _ = try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())/scale", method: .post, headers: lee.write,
                                         body: ByteBuffer(string: #"{"pixels":200,"millimetres":40}"#))
            let saved = try await client.execute(uri: base + "/annotation", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"entry":{"x":40,"y":20},"tip":{"x":200,"y":180},"target":{"x":210,"y":190},"note":"capsule reached"}"#))
            #expect(saved.status == .ok)
            _ = try await client.execute(uri: base + "/injection", method: .post, headers: lee.write,
                                         body: ByteBuffer(string: #"{"injectate":{"kind":"prolotherapy","dextrosePercent":15,"lidocainePercent":0.2},"volumeMillilitres":1.5}"#))

            let record = try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())/record", method: .post,
                                                  headers: lee.write, body: ByteBuffer(string: #"{"painAfter":1,"followUp":{"daysAfter":14,"score":2},"notes":"tolerated well"}"#))
            #expect(record.status == .ok)
            let badScore = try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())/record", method: .post,
                                                    headers: lee.write, body: ByteBuffer(string: #"{"painBefore":11}"#))
            #expect(badScore.status == .badRequest && errorMessage(badScore.body).contains("0-10"))

            let png = try await client.execute(uri: base + "/annotated.png", method: .get, headers: lee.read)
            #expect(png.status == .ok)
            let image = try PNG.decode(Data(buffer: png.body)).image
            #expect(image.format == .rgb24 && image.width == 320)
            func pixel(_ x: Int, _ y: Int) -> [UInt8] { let i = (y * image.width + x) * 3; return Array(image.pixels[i..<i + 3]) }
            #expect(pixel(120, 100) == [255, 215, 0])        // on the line from (40,20) to (200,180)
            #expect(pixel(120, 40)[0] == pixel(120, 40)[1])  // off the line: still gray
            // A past revision by number; a revision that does not exist, or is not a number, said so.
            let first = try await client.execute(uri: base + "/annotated.png?revision=1", method: .get, headers: lee.read)
            #expect(first.status == .ok && Data(buffer: first.body) == Data(buffer: png.body))
            #expect(try await client.execute(uri: base + "/annotated.png?revision=9", method: .get, headers: lee.read).status == .notFound)
            #expect(try await client.execute(uri: base + "/annotated.png?revision=x", method: .get, headers: lee.read).status == .badRequest)

            let report = String(buffer: try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())/report",
                                                                  method: .get, headers: lee.read).body)
            #expect(report.contains("Doe, Jane") && report.contains("dextrose 15%") && report.contains("1.5 mL"))
            #expect(report.contains("\(base)/annotated.png") && report.contains("tip depth 32.0 mm") && report.contains("capsule reached"))

            struct Series: Decodable { struct T: Decodable { var number: Int; var daysSincePrevious: Int?; var levels: [String]; var painBefore: Int? }; var treatments: [T] }
            let series = try decode(Series.self, try await client.execute(uri: "/api/patients/P-1/series", method: .get, headers: lee.read).body)
            #expect(series.treatments.map(\.number) == [1, 2])
            #expect(series.treatments.map(\.daysSincePrevious) == [nil, 21])
            #expect(series.treatments[0].levels == ["L4-L5"])
            let svg = String(buffer: try await client.execute(uri: "/api/patients/P-1/pain.svg", method: .get, headers: lee.read).body)
            #expect(svg.contains(#"data-series="before" data-score="7""#) && svg.contains(#"data-series="after" data-score="1""#))
            #expect(svg.contains(#"data-series="after" data-score="2""#))
        }
        let updated = try #require(try await f.archive.session(f.lumbar.id))
        #expect(updated.painScores.before == 7 && updated.painScores.after == 1 && updated.painScores.followUps.map(\.score) == [2])
        #expect(updated.notes == "tolerated well")
        let actions = try await f.archive.auditEvents().map(\.action)
        // The annotated PNG twice (current, and revision 1 by number) and the report; the refused revisions wrote nothing.
        #expect(actions.filter { $0 == "export" }.count == 3)
        #expect(actions.contains("view-series") && actions.contains("record-injection") && actions.contains("set-scale"))
    }
}

/// A site from text, for building queries in tests.
func AnatomicSiteParse(_ text: String) -> AnatomicSite { try! AnatomicSite(parsing: text) }
