import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
@testable import Server

/// What tools/fuzz-api found, each kept as a regression test.
@Suite("the API fuzzer's findings")
struct FuzzFindingsTests {
    @Test("a search of punctuation or control characters is a 400 that says what to search for, not a 500",
          arguments: ["%01%02%1F%7F", "*", "%22", "(", "-", "%00", "%5E", ":", ".", ","])
    func punctuationSearch(_ q: String) async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let response = try await client.execute(uri: "/api/search?q=\(q)", method: .get, headers: DeskFixture.station)
            #expect(response.status == .badRequest)
            #expect(errorMessage(response.body).contains("no letters or digits"))
            // Words among the punctuation are searched as words.
            let words = try await client.execute(uri: "/api/search?q=\(q)pain\(q)", method: .get, headers: DeskFixture.station)
            #expect(words.status == .ok)
        }
        #expect(try await f.archive.search(StillSearch(text: "*()\"")).isEmpty)
    }

    @Test("every error answer carries a JSON message, even where no route answered")
    func errorBodies() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let missing = try await client.execute(uri: "/api/no-such-route", method: .get, headers: lee.read)
            #expect(missing.status == .notFound)
            #expect(errorMessage(missing.body).contains("nothing is served at GET /api/no-such-route"))
            let large = try await client.execute(uri: "/api/login", method: .post, headers: [:],
                                                 body: ByteBuffer(string: "[" + String(repeating: "1,", count: 40_000) + "1]"))
            #expect(large.status == .contentTooLarge)
            #expect(errorMessage(large.body).contains("at most 64 KiB"))
        }
    }
}
