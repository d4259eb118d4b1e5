import Archive
import Capture
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// Values from outside that once trapped the daemon (and ended the recording with it)
/// are refused where they enter, with a message that says what would be right.
@Suite("hostile values are refused where they enter, never a trap")
struct HostileValueTests {
    @Test("the recording around a time no recording reaches is a 400, and an ordinary time still plays")
    func clipTimes() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let clip = DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path
        let report = try await ClipImporter(archive: f.archive).importClip(clip, options: .init(
            patient: PatientID("P-1"), startedAt: Date(timeIntervalSince1970: 1_714_636_800), treatment: TreatmentNumber(3, of: 4),
            physician: "dr.lee", tech: "sam"))
        let uri = "/api/sessions/\(report.session.id.uuidString.lowercased())/clip"
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            for query in ["at=1e17&before=30&after=30", "at=1e308", "at=inf", "at=nan", "at=-1", "at=9e18&before=-1e300"] {
                let response = try await client.execute(uri: "\(uri)?\(query)", method: .get, headers: lee.read)
                #expect(response.status == .badRequest, "\(query)")
                #expect(errorMessage(response.body).contains("?at=SECONDS"), "\(query)")
            }
            let beyond = try await client.execute(uri: "\(uri)?at=500", method: .get, headers: lee.read)
            #expect(beyond.status == .badRequest)
            #expect(errorMessage(beyond.body).contains("the recording lasts 10.0 s"))
            // Clamped, not trapped: a NaN or huge window falls back or stops at 30 s.
            let played = try await client.execute(uri: "\(uri)?at=2&before=nan&after=1e300", method: .get, headers: lee.read)
            #expect(played.status == .ok)
            #expect(played.headers[.contentType] == "video/webm")
            #expect(played.body.readableBytes > 10_000)
        }
    }

    @Test("a needle outside the still is refused at save; one stored by an older version is refused at read, never drawn")
    func needlePoints() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        let uri = "/api/stills/\(still.id.uuidString.lowercased())"
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            for body in [#"{"entry":{"x":1e300,"y":0},"tip":{"x":120,"y":110}}"#, #"{"entry":{"x":-5,"y":0},"tip":{"x":120,"y":110}}"#,
                         #"{"entry":{"x":20,"y":10},"tip":{"x":321,"y":110}}"#, #"{"entry":{"x":20,"y":10},"tip":{"x":120,"y":110},"target":{"x":5,"y":1e9}}"#] {
                let response = try await client.execute(uri: uri + "/annotation", method: .post, headers: lee.write, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(errorMessage(response.body).contains("outside the 320x240 still"), "\(body)")
            }
            #expect(try await f.archive.annotationHistory(ofStill: still.id).revisions.isEmpty)
            // The edges are inside.
            let edge = try await client.execute(uri: uri + "/annotation", method: .post, headers: lee.write,
                                                body: ByteBuffer(string: #"{"entry":{"x":0,"y":0},"tip":{"x":320,"y":240}}"#))
            #expect(edge.status == .ok)

            // A record poisoned before the check existed, written straight into the archive.
            let poisoned = try NeedleGeometry(entry: ImagePoint(x: 1e300, y: 0), tip: ImagePoint(x: 120, y: 110))
            _ = try await f.archive.saveAnnotation(poisoned, onStill: still.id, by: "dr.lee", basedOn: 1)
            let annotated = try await client.execute(uri: uri + "/annotated.png", method: .get, headers: lee.read)
            #expect(annotated.status == .unprocessableContent)
            #expect(errorMessage(annotated.body).contains("revision 2") && errorMessage(annotated.body).contains("draw the needle again"))
            let restore = try await client.execute(uri: uri + "/restore", method: .post, headers: lee.write,
                                                   body: ByteBuffer(string: #"{"revision":2,"basedOn":2}"#))
            #expect(restore.status == .unprocessableContent)
            // The report that embeds the picture still renders; an earlier revision restores.
            let report = try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())/report", method: .get, headers: lee.read)
            #expect(report.status == .ok)
            let back = try await client.execute(uri: uri + "/restore", method: .post, headers: lee.write,
                                                body: ByteBuffer(string: #"{"revision":1,"basedOn":2}"#))
            #expect(back.status == .ok)
            #expect(try await client.execute(uri: uri + "/annotated.png", method: .get, headers: lee.read).status == .ok)
        }
    }

    @Test("limits outside 1-1000 are a 400, not an unbounded query", arguments: ["-1", "0", "1e9", "1001", "abc", "99999999999999999999"])
    func limits(_ limit: String) async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            for route in ["/api/sessions", "/api/search"] {
                let response = try await client.execute(uri: "\(route)?limit=\(limit)", method: .get, headers: lee.read)
                #expect(response.status == .badRequest, "\(route)?limit=\(limit)")
                #expect(errorMessage(response.body).contains("whole number from 1 to 1000"))
            }
            #expect(try await client.execute(uri: "/api/search?limit=1", method: .get, headers: lee.read).status == .ok)
        }
    }
}
