import Anatomy
import Foundation
import Testing

/// A tagged still in a search: its site and when it was taken.
private struct Still: Sendable {
    let site: AnatomicSite
    let taken: Date
}

/// One row of the ranking table: a query, the tags in the archive from oldest to
/// newest, and the tags the search must return, best first.
struct RankingCase: Sendable, CustomTestStringConvertible {
    let query: String
    let exactOnly: Bool
    let tags: [String]
    let expected: [String]

    init(_ query: String, exactOnly: Bool = false, tags: [String], expected: [String]) {
        self.query = query
        self.exactOnly = exactOnly
        self.tags = tags
        self.expected = expected
    }

    var testDescription: String { exactOnly ? "\(query) (exact)" : query }
}

@Suite("Finding and ranking sites")
struct SiteMatchingTests {
    static let rankingCases: [RankingCase] = [
        RankingCase(
            "L4", tags: ["L3-S1", "L4-L5", "T7 rib", "L4", "L3-L4", "L5-S1"],
            expected: ["L4", "L3-L4", "L4-L5", "L3-S1"]),
        RankingCase(
            "L4", exactOnly: true, tags: ["L3-S1", "L4-L5", "T7 rib", "L4", "L3-L4", "left L4"],
            expected: ["left L4", "L4"]),
        RankingCase(
            "lumbar", tags: ["L4-L5", "L5-S1", "T12-L1", "S1", "lumbar", "L2"],
            expected: ["lumbar", "L2", "L4-L5", "T12-L1", "L5-S1"]),
        RankingCase(
            "T7", tags: ["left T7 rib", "T6-T7", "T8", "sternum", "T7"],
            expected: ["T7", "left T7 rib", "T6-T7"]),
        RankingCase(
            "sternum", tags: ["sternum", "T1", "left sternoclavicular joint", "T4 rib", "thoracic"],
            expected: ["left sternum", "sternum"]),
        RankingCase(
            "left SI joint", tags: ["right SI joint", "SI joint", "bilateral SI joint", "left SI joint", "S1", "L5-S1"],
            expected: ["left SI joint", "bilateral SI joint", "SI joint", "S1", "L5-S1"]),
        RankingCase(
            "L5-S1", tags: ["L5", "S1", "L4-L5", "L3-S1", "left SI joint", "iliolumbar region", "coccyx"],
            expected: ["S1", "L5", "iliolumbar region", "L3-S1", "L4-L5", "left SI joint"]),
        RankingCase(
            "C7-T1", tags: ["C7", "T1", "cervical", "thoracic", "C6-C7", "L1"],
            expected: ["T1", "C7", "C6-C7", "cervical", "thoracic"]),
        RankingCase(
            "L6", tags: ["L5-S1", "L5", "L6", "L4-L6", "S1"],
            expected: ["L6", "L5-S1", "L4-L6"]),
        RankingCase(
            "coccyx", tags: ["S5-coccyx", "coccygeal", "coccyx", "S4-S5", "sacral"],
            expected: ["coccyx", "coccygeal", "S5-coccyx"]),
    ]

    @Test("a search returns matching tags, exact first, then by coverage, then newest", arguments: rankingCases)
    func ranking(_ testCase: RankingCase) throws {
        let options = AnatomyParsingOptions.allowingTransitionalLevels
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let stills = try testCase.tags.enumerated().map { index, tag in
            Still(site: try AnatomicSite(parsing: tag, options: options), taken: start + Double(index) * 86_400)
        }
        let query = try SiteQuery(parsing: testCase.query, exactOnly: testCase.exactOnly, options: options)
        let ranked = query.rank(stills, site: \.site, date: \.taken)
        #expect(ranked.map(\.site.description) == testCase.expected)
    }

    @Test("a caller-supplied tie-breaker orders equal matches")
    func customTieBreaker() throws {
        let tags = try ["L4-L5", "L3-L4", "L4"].map { try AnatomicSite(parsing: $0) }
        let query = try SiteQuery(parsing: "L4")
        let ranked = query.rank(tags, site: { $0 }, by: { $0.description < $1.description })
        #expect(ranked.map(\.description) == ["L4", "L3-L4", "L4-L5"])
    }

    @Test("coverage is the fraction of the tag the query covers")
    func coverage() throws {
        let query = try SiteQuery(parsing: "L4")
        let range = try #require(query.match(try AnatomicSite(parsing: "L3-S1")))
        #expect(!range.isExact)
        #expect(range.coveredUnits == 1 && range.tagUnits == 4)
        #expect(range.coverage == 0.25)
        let exact = try #require(query.match(try AnatomicSite(parsing: "L4")))
        #expect(exact.isExact && exact.coverage == 1)
        #expect(exact.ranksAbove(range) && !range.ranksAbove(exact))
        #expect(query.match(try AnatomicSite(parsing: "L5-S1")) == nil)
    }

    @Test("search intervals use the stable position numbering", arguments: [
        ("L4", 304...304), ("L3-S1", 303...401), ("C5-C6", 105...106), ("lumbar", 301...305),
        ("T7 rib", 207...207), ("left SI joint", 401...403), ("iliolumbar", 304...305),
        ("coccyx", 501...501), ("sternum", 900...900),
    ])
    func searchInterval(text: String, interval: ClosedRange<Int>) throws {
        let site = try AnatomicSite(parsing: text)
        #expect(site.searchInterval == interval)
        #expect(site.spanLow == interval.lowerBound && site.spanHigh == interval.upperBound)
    }

    @Test("matching in Swift agrees with the archive's interval test on every pair")
    func agreesWithIntervalQuery() throws {
        let written = [
            "C5-C6", "C7-T1", "T7", "T7 rib", "T12-L1", "L4", "L4-L5", "L5-S1", "L3-S1", "S2", "coccyx",
            "lumbar", "sacral", "SI joint", "iliolumbar", "sternum", "L6", "T13",
        ]
        let sites = try written.map { try AnatomicSite(parsing: $0, options: .allowingTransitionalLevels) }
        for query in sites {
            for tag in sites {
                let sql = tag.spanLow <= query.spanHigh && tag.spanHigh >= query.spanLow
                #expect(SiteQuery(query).matches(tag) == sql, "\(query) ~ \(tag)")
            }
        }
    }

    @Test("a query with a side skips the other side only")
    func sides() throws {
        let query = try SiteQuery(parsing: "left L4-L5")
        #expect(query.matches(try AnatomicSite(parsing: "left L4-L5")))
        #expect(query.matches(try AnatomicSite(parsing: "bilateral L4-L5")))
        #expect(query.matches(try AnatomicSite(parsing: "L4-L5")))
        #expect(!query.matches(try AnatomicSite(parsing: "right L4-L5")))
        #expect(!query.matches(try AnatomicSite(parsing: "midline L4-L5")))
    }
}
