import Archive
import Foundation
import Records
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Workflows
@testable import Server

/// The station token (the recorder's own command line) reads every still; an account
/// must never be able to pass for it by its name.
@Suite("no account passes for the station")
struct StationIdentityTests {
    @Test("an account named station is refused, by the admin API and by the command line's AccountBook")
    func reservedName() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let other = f.cervicalStill.id.uuidString.lowercased()
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let admin = try #require(try await Login.signIn(client, "root.admin"))
            let add = try await client.execute(uri: "/api/users", method: .post, headers: admin.write, body: ByteBuffer(string: """
                {"name":"station","role":"tech","password":"\(ReviewFixture.password)"}
                """))
            #expect(add.status == .badRequest)
            #expect(errorMessage(add.body).contains("reserved"), "\(errorMessage(add.body))")
            // Had it been created, its tech would read stills of sessions that are not theirs.
            if let station = try await Login.signIn(client, "station") {
                let still = try await client.execute(uri: "/api/stills/\(other).png", method: .get, headers: station.read)
                #expect(still.status == .forbidden, "a tech account named station read another tech's still")
            }
            // The token itself still reads it, as the command line needs.
            let byToken = try await client.execute(uri: "/api/stills/\(other).png", method: .get, headers: DeskFixture.station)
            #expect(byToken.status == .ok)
        }
        await #expect(throws: ArchiveError.self) {
            try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("station", role: .tech, person: try PersonName(family: "Station", given: "Not"), password: ReviewFixture.password, by: "test")
        }
        #expect(try await f.archive.account(named: "station") == nil)
    }

    @Test("the station's identity is keyed by how it signed in, and its name is none an account can have")
    func stationIdentity() throws {
        #expect(Identity.station.isStation && Identity.station.role == .tech)
        #expect(throws: ArchiveError.self) { try Account.checkName(Identity.stationName) }
        let account = Identity(name: "station", role: .tech, csrfToken: "x")
        #expect(!account.isStation && account.name != Identity.stationName)
    }
}
