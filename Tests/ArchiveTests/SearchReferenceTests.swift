import Anatomy
import Foundation
import Records
import Testing
@testable import Archive

@Suite("search agrees with a brute-force ranking over every still")
struct SearchReferenceTests {
    /// 300 stills at 60 sites (every level, segment and side of the thoracic and lumbar
    /// spine, plus ranges and regions), so queries meet both plans: site by site, and one
    /// walk of the date index for a rank shared by many sites.
    @Test("levels, segments, ranges and regions, with and without exact", arguments: [
        ("T7", false), ("L4", false), ("L4", true), ("T6-T7", false), ("L3-S1", false),
        ("thoracic", false), ("lumbar", false), ("left T8", false), ("right lumbar", false),
    ])
    func matchesReference(query: String, exact: Bool) async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        var sites = (201...212).flatMap { n -> [String] in
            let level = "T\(n - 200)"
            return [level, "left \(level)", "right \(level)"]
        }
        sites += (1...4).map { "L\($0)-L\($0 + 1)" } + ["L3-S1", "lumbar", "T10-L2", "left T7 rib", "L5-S1", "T7-T8", "thoracic"]
        let session = try await f.session("P-1", day: 1)
        var stills: [(Still, AnatomicSite, Double)] = []
        for i in 0..<300 {
            let text = sites[(i * 7) % sites.count]
            let time = Double((i * 37) % 300) + Double(i) / 1000   // distinct times, shuffled
            let still = try await f.still(session, at: time, site: text)
            stills.append((still, try AnatomicSite(parsing: text), time))
        }
        let siteQuery = try SiteQuery(parsing: query, exactOnly: exact)
        let reference = siteQuery.rank(stills, site: { $0.1 }, by: { $0.2 > $1.2 }).prefix(30).map(\.0.id)
        let results = try await f.archive.search(StillSearch(site: siteQuery, limit: 30))
        #expect(results.map(\.still.id) == Array(reference))
    }
}
