import Archive
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
import Workflows
@testable import Server

/// Issue 23: every name on a record is an active account of the right role, with a person's
/// name; nothing else is accepted, and the refusal names who can be chosen.
@Suite("names on a record are people with accounts")
struct StaffRosterTests {
    /// An archive with patient P-1, physicians dr.oak and dr.lee, tech alex, a disabled
    /// tech, and a physician account made before accounts had names.
    private func clinic() async throws -> DeskFixture {
        let f = try await DeskFixture()
        try await f.archive.add(try Account(name: "dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"),
                                            passwordHash: "!"))
        try await f.archive.add(try Account(name: "kim.gone", role: .tech, person: try PersonName(family: "Kim", given: "Jo"), passwordHash: "!",
                                            disabled: true))
        try await f.archive.add(try Account(name: "dr.old", role: .physician, passwordHash: "!"))
        return f
    }

    @Test("unknown, disabled, wrong-role, nameless and missing names are refused with the valid ones", arguments: [
        ("nobody", "alex", "nobody is not an account: the physician is one of dr.lee (Ann Lee, MD), dr.oak (Rowan Oak, MD)"),
        ("alex", "alex", "alex is a tech, not a physician: the physician is one of dr.lee"),
        ("dr.old", "alex", "dr.old's account has no family and given name yet"),
        ("dr.lee", "kim.gone", "kim.gone's account is disabled: the tech is one of alex (Alex Moreau)"),
        ("dr.lee", "tech", "tech is not an account: the tech is one of alex (Alex Moreau)"),
        (nil, "alex", "say which physician performs the procedure: one of dr.lee (Ann Lee, MD), dr.oak (Rowan Oak, MD)"),
    ] as [(String?, String, String)])
    func refused(physician: String?, tech: String, message: String) async throws {
        let f = try await clinic()
        defer { f.remove() }
        let planner = SessionPlanner(archive: f.archive)
        await #expect { try await planner.newProcedure(patient: "P-1", treatment: nil, physician: physician, tech: tech, indication: nil) } throws: { error in
            (error as? WorkflowError)?.kind == .invalid && "\(error)".contains(message)
        }
    }

    @Test("the only tech is recorded when none is named; named people are recorded by user name")
    func resolved() async throws {
        let f = try await clinic()
        defer { f.remove() }
        let session = try await SessionPlanner(archive: f.archive).newProcedure(patient: "P-1", treatment: "2/6", physician: "dr.lee", tech: nil,
                                                                                indication: nil)
        #expect(session.physician == "dr.lee" && session.tech == "alex")
    }

    @Test("over the API: a placeholder is refused with 400 and nothing starts; at the station, the tech is the one signed in there")
    func overTheAPI() async throws {
        let f = try await clinic()
        defer { f.remove() }
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4))
            .add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam"), password: ReviewFixture.password, by: "test")
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let placeholder = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                                       body: ByteBuffer(string: #"{"patient":"P-1","physician":"physician","tech":"alex"}"#))
            #expect(placeholder.status == .badRequest)
            #expect(errorMessage(placeholder.body).contains("physician is not an account: the physician is one of dr.lee"))
            // Two techs and none signed in: the station cannot tell who is at the table.
            let ambiguous = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                                     body: ByteBuffer(string: #"{"patient":"P-1","physician":"dr.lee"}"#))
            #expect(ambiguous.status == .badRequest)
            #expect(errorMessage(ambiguous.body).contains("say which tech runs the recorder: one of alex (Alex Moreau), sam (Sam Rivera)"))
            #expect(try await f.archive.sessions(SessionFilter()).isEmpty)
            // The physician picker's list.
            let staff = try await client.execute(uri: "/api/staff?duty=physician", method: .get, headers: DeskFixture.station)
            let list = try decode(StaffController.StaffList.self, staff.body)
            #expect(list.staff.map(\.name) == ["dr.lee", "dr.oak"] && list.staff.first?.person?.display == "Ann Lee, MD")
            // sam signs in on the tech page; the footswitch's start is then sam's session.
            _ = try #require(try await Login.signIn(client, "sam"))
            let started = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                                   body: ByteBuffer(string: #"{"patient":"P-1","physician":"dr.lee"}"#))
            #expect(started.status == .ok, "\(errorMessage(started.body))")
            // The footswitch's tag is the station acting for sam.
            let tagged = try await client.execute(uri: "/api/tag", method: .post, headers: DeskFixture.station,
                                                  body: ByteBuffer(string: #"{"site":"L4-L5","structure":"facet-capsule","side":"left"}"#))
            #expect(tagged.status == .ok, "\(errorMessage(tagged.body))")
            _ = try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station)
        }
        let sessions = try await f.archive.sessions(SessionFilter()).map(\.session)
        #expect(sessions.count == 1 && sessions.first?.tech == "sam" && sessions.first?.physician == "dr.lee")
        let session = try #require(sessions.first)
        #expect(try await f.archive.tags(ofSession: session.id).map(\.author) == ["station:token for sam"])
        let events = try await f.archive.auditEvents(patient: "P-1", limit: 50)
        let station = events.filter { $0.actor == "station:token" }.map { "\($0.action) \($0.detail)" }
        #expect(station.contains("start-session for sam") && station.contains("stop-session for sam"), "\(station)")
    }
}
