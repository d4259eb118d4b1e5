import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// The session page's record form over HTTP: a save from an older version of the record
/// is a 409 naming who saved in between; injections recorded at once are all kept.
@Suite("the session record form: no lost update")
struct SessionRecordConflictTests {
    struct Detail: Decodable {
        struct Session: Decodable { var notes: String; var painScores: PainScores; var injections: [InjectionSite] }
        struct Revision: Decodable { var version: Int; var changedBy: String? }
        var session: Session
        var revision: Revision
    }

    @Test("two physicians open the form; the second save is refused with who saved, then goes in once reloaded")
    func twoPhysicians() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let path = "/api/sessions/\(f.lumbar.id.uuidString.lowercased())"
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let kim = try #require(try await Login.signIn(client, "dr.kim"))
            let opened = try decode(Detail.self, try await client.execute(uri: path, method: .get, headers: lee.read).body)
            let first = try await client.execute(uri: path + "/record", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"notes":"tolerated well","version":\#(opened.revision.version)}"#))
            #expect(first.status == .ok)
            let stale = try await client.execute(uri: path + "/record", method: .post, headers: kim.write,
                                                 body: ByteBuffer(string: #"{"notes":"","painAfter":2,"version":\#(opened.revision.version)}"#))
            #expect(stale.status == .conflict)
            #expect(errorMessage(stale.body).contains("changed by dr.lee"), "\(errorMessage(stale.body))")
            var now = try decode(Detail.self, try await client.execute(uri: path, method: .get, headers: kim.read).body)
            #expect(now.session.notes == "tolerated well" && now.session.painScores.after == opened.session.painScores.after)
            #expect(now.revision.version == opened.revision.version + 1 && now.revision.changedBy == "dr.lee")

            let again = try await client.execute(uri: path + "/record", method: .post, headers: kim.write,
                                                 body: ByteBuffer(string: #"{"notes":"tolerated well","painAfter":2,"version":\#(now.revision.version)}"#))
            #expect(again.status == .ok)
            now = try decode(Detail.self, try await client.execute(uri: path, method: .get, headers: lee.read).body)
            #expect(now.session.notes == "tolerated well" && now.session.painScores.after == 2 && now.revision.changedBy == "dr.kim")
        }
    }

    @Test("ten injections recorded at once on the session's stills are all kept")
    func concurrentInjections() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let still = f.lumbarStills[0]
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let before = try decode(Detail.self, try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())", method: .get, headers: lee.read).body)
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 1...10 {
                    group.addTask {
                        try await client.execute(uri: "/api/stills/\(still.id.uuidString.lowercased())/injection", method: .post, headers: lee.write,
                                                 body: ByteBuffer(string: #"{"injectate":{"kind":"prolotherapy","dextrosePercent":15,"lidocainePercent":0.2},"volumeMillilitres":\#(Double(i) / 10)}"#)).status
                    }
                }
                for try await status in group { #expect(status == .ok) }
            }
            let after = try decode(Detail.self, try await client.execute(uri: "/api/sessions/\(f.lumbar.id.uuidString.lowercased())", method: .get, headers: lee.read).body)
            #expect(after.session.injections.count == before.session.injections.count + 10)
            #expect(Set(after.session.injections.map(\.volumeMillilitres)).isSuperset(of: Set((1...10).map { Double($0) / 10 })))
        }
    }
}
