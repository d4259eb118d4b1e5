import Anatomy
import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// What the pages draw from the server instead of their own copies: the anatomy catalogue
/// and a needle drawing's measurements.
@Suite("the pages' catalogue and measurements come from the server")
struct PageCatalogueTests {
    @Test("GET /api/anatomy: every level C1 to the coccyx, the whole structure catalogue, the sides; only signed in")
    func anatomy() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            #expect(try await client.execute(uri: "/api/anatomy", method: .get).status == .unauthorized)
            let sam = try #require(try await Login.signIn(client, "sam"))
            let response = try await client.execute(uri: "/api/anatomy", method: .get, headers: sam.read)
            #expect(response.status == .ok)
            let catalogue = try JSONDecoder().decode(AnatomyController.Catalogue.self, from: Data(buffer: response.body))
            #expect(catalogue.levels.map(\.name) == VertebralLevel.ordinaryLevels.map(\.description))
            #expect(catalogue.levels.count == 30 && catalogue.levels.first?.name == "C1" && catalogue.levels.last?.name == "coccyx")
            #expect(catalogue.levels.first { $0.name == "L4" }?.region == "lumbar")
            #expect(catalogue.structures.map(\.id) == TargetStructure.catalogue.map(\.id.rawValue) && catalogue.structures.count == 18)
            #expect(catalogue.structures.first { $0.id == "ligamentum-nuchae" }?.regions == ["cervical"])
            #expect(catalogue.sides == ["left", "right", "bilateral", "midline"])
            // The station (the footswitch's token) may read it too.
            #expect(try await client.execute(uri: "/api/anatomy", method: .get, headers: DeskFixture.station).status == .ok)
        }
    }

    @Test("POST /api/stills/ID/measure: NeedleGeometry's figures with the session's scale; a needle without length refused")
    func measure() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        try await f.archive.setScale(ofSession: f.lumbar.id, millimetresPerPixel: 0.1, by: "dr.lee")
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let body = #"{"entry":{"x":60,"y":50},"tip":{"x":260,"y":210},"target":{"x":263,"y":214}}"#
            let response = try await client.execute(uri: "/api/stills/\(still.id.uuidString.lowercased())/measure", method: .post,
                                                    headers: lee.write, body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let m = try JSONDecoder().decode(NeedleMeasurements.self, from: Data(buffer: response.body))
            let geometry = try NeedleGeometry(entry: ImagePoint(x: 60, y: 50), tip: ImagePoint(x: 260, y: 210),
                                              target: ImagePoint(x: 263, y: 214), millimetresPerPixel: 0.1)
            #expect(abs(m.angleDegrees - 38.66) < 0.01 && m.angleDegrees == geometry.angleDegrees)
            #expect(m.tipDepthMillimetres == 16 && m.lengthMillimetres == geometry.lengthMillimetres)
            #expect(m.tipToTargetPixels == 5 && abs((m.tipToTargetMillimetres ?? 0) - 0.5) < 1e-9)
            let flat = try await client.execute(uri: "/api/stills/\(still.id.uuidString.lowercased())/measure", method: .post,
                                                headers: lee.write, body: ByteBuffer(string: #"{"entry":{"x":5,"y":5},"tip":{"x":5,"y":5}}"#))
            #expect(flat.status == .badRequest && String(buffer: flat.body).contains("the same point"))
            // A tech does not draw needles.
            let sam = try #require(try await Login.signIn(client, "sam"))
            let refused = try await client.execute(uri: "/api/stills/\(still.id.uuidString.lowercased())/measure", method: .post,
                                                   headers: sam.write, body: ByteBuffer(string: body))
            #expect(refused.status == .forbidden)
        }
    }
}
