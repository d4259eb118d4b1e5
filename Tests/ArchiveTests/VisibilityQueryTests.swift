import Foundation
import Anatomy
import Records
import Testing
@testable import Archive

/// A tech sees only the sessions they recorded: asked of the store, so a page of a tech's
/// sessions or stills is full whenever that many exist, however many others recorded since.
@Suite("a tech's own sessions and stills, as a query")
struct VisibilityQueryTests {
    /// Five sessions (one still each) by `sam`, then thirty newer ones by `kim`.
    func clinic() async throws -> ArchiveFixture {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        for day in 0..<35 {
            var session = try await f.session("P-1", day: day)
            if day >= 5 {
                session.tech = "kim"
                try await f.archive.update(session)
            }
            try await f.still(session, at: 1, site: "L4-L5")
        }
        return f
    }

    @Test("sessions: the limit counts only what the tech may see")
    func sessions() async throws {
        let f = try await clinic()
        let own = try await f.archive.sessions(SessionFilter(recordedBy: "sam", limit: 5))
        #expect(own.count == 5 && own.allSatisfy { $0.session.tech == "sam" })
        // Filtering the newest five afterwards, as before, showed a tech none of theirs.
        #expect(try await f.archive.sessions(SessionFilter(limit: 5)).filter { $0.session.tech == "sam" }.isEmpty)
        #expect(try await f.archive.sessions(SessionFilter(recordedBy: "kim", limit: 100)).count == 30)
        #expect(try await f.archive.sessions(SessionFilter(recordedBy: "nobody")).isEmpty)
    }

    @Test("search: by site, by patient, and with nothing else, only the tech's stills, up to the limit")
    func search() async throws {
        let f = try await clinic()
        let queries = [StillSearch(limit: 5), StillSearch(site: try SiteQuery(parsing: "L4-L5"), limit: 5),
                       StillSearch(patient: try PatientID("P-1"), limit: 5)]
        let samSessions = Set(try await f.archive.sessions(SessionFilter(recordedBy: "sam")).map(\.session.id))
        for var query in queries {
            query.recordedBy = "sam"
            let found = try await f.archive.search(query)
            #expect(found.count == 5 && found.allSatisfy { samSessions.contains($0.still.sessionID) }, "\(query)")
        }
    }
}
