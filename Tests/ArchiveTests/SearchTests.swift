import Anatomy
import Foundation
import Records
import Testing
@testable import Archive

@Suite("search by vertebral level over a hand-built archive")
struct SearchTests {
    /// Two patients; stills tagged at different sites on different days.
    /// Day numbers give the order among equals: later days rank first.
    private func build() async throws -> (ArchiveFixture, [String: Still]) {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        try await f.patient("P-2", family: "Roe", given: "Ann")
        let s1 = try await f.session("P-1", day: 10, notes: "good response, mild soreness",
                                     injectate: .prolotherapy(try Prolotherapy(dextrosePercent: 15, lidocainePercent: 0.2)))
        let s2 = try await f.session("P-1", day: 40, notes: "pain down to 3 of 10")
        let s3 = try await f.session("P-2", day: 20, notes: "vasovagal episode, recovered",
                                     injectate: .prp(try PlateletRichPlasma(leukocytes: .poor, activated: false)))
        var stills: [String: Still] = [:]
        stills["L4 (P1, day 10)"] = try await f.still(s1, at: 5, site: "L4")
        stills["left L4-L5 facet (P1, day 10)"] = try await f.still(s1, at: 20, site: "left L4-L5", structure: .facetCapsule)
        stills["L3-L4 (P1, day 40)"] = try await f.still(s2, at: 5, site: "L3-L4")
        stills["L3-S1 (P1, day 40)"] = try await f.still(s2, at: 30, site: "L3-S1")
        stills["right L4-L5 facet (P2, day 20)"] = try await f.still(s3, at: 10, site: "right L4-L5", structure: .facetCapsule)
        stills["L5-S1 (P2, day 20)"] = try await f.still(s3, at: 40, site: "L5-S1")
        stills["C5-C6 (P2, day 20)"] = try await f.still(s3, at: 50, site: "C5-C6")
        stills["untagged (P2, day 20)"] = try await f.still(s3, at: 60, site: nil)
        return (f, stills)
    }

    private func names(_ results: [StillSearchResult], _ stills: [String: Still]) -> [String] {
        let byID = Dictionary(uniqueKeysWithValues: stills.map { ($0.value.id, $0.key) })
        return results.map { byID[$0.still.id] ?? "?" }
    }

    @Test("L4 finds L4 first, then half-covered segments newest first, then the wide range")
    func levelRanking() async throws {
        let (f, stills) = try await build()
        let results = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L4")))
        #expect(names(results, stills) == [
            "L4 (P1, day 10)",
            "L3-L4 (P1, day 40)", "right L4-L5 facet (P2, day 20)", "left L4-L5 facet (P1, day 10)",
            "L3-S1 (P1, day 40)",
        ])
        #expect(results[0].match?.isExact == true)
        #expect(results[1].match?.coverage == 0.5)
        #expect(results[4].match?.coverage == 0.25)
    }

    @Test("--exact finds only the level itself")
    func exactOnly() async throws {
        let (f, stills) = try await build()
        let results = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L4", exactOnly: true)))
        #expect(names(results, stills) == ["L4 (P1, day 10)"])
    }

    @Test("a segment query ranks the segment first, then partial overlaps")
    func segment() async throws {
        let (f, stills) = try await build()
        let results = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L4/5")))
        #expect(names(results, stills) == [
            "right L4-L5 facet (P2, day 20)", "left L4-L5 facet (P1, day 10)",
            "L4 (P1, day 10)",
            "L3-S1 (P1, day 40)",
            "L3-L4 (P1, day 40)", "L5-S1 (P2, day 20)",
        ])
    }

    @Test("a side narrows: left finds left and unsided tags, never right")
    func sided() async throws {
        let (f, stills) = try await build()
        let results = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "left L4-L5")))
        #expect(names(results, stills).contains("left L4-L5 facet (P1, day 10)"))
        #expect(!names(results, stills).contains("right L4-L5 facet (P2, day 20)"))
    }

    @Test("region, structure, patient, dates, injectate and words filter as asked")
    func filters() async throws {
        let (f, stills) = try await build()
        let cervical = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "cervical")))
        #expect(names(cervical, stills) == ["C5-C6 (P2, day 20)"])

        let facets = try await f.archive.search(StillSearch(structure: TargetStructure.facetCapsule.id))
        #expect(names(facets, stills) == ["right L4-L5 facet (P2, day 20)", "left L4-L5 facet (P1, day 10)"])

        let patientLevel = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L5"), patient: try PatientID("P-1")))
        #expect(names(patientLevel, stills) == ["left L4-L5 facet (P1, day 10)", "L3-S1 (P1, day 40)"])

        let early = try await f.archive.search(StillSearch(from: ArchiveFixture.date(day: 15), to: ArchiveFixture.date(day: 30)))
        #expect(Set(names(early, stills)) == Set(stills.keys.filter { $0.contains("day 20") }))

        let prp = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "lumbar"), injectate: .prp))
        #expect(names(prp, stills) == ["right L4-L5 facet (P2, day 20)", "L5-S1 (P2, day 20)"])

        let words = try await f.archive.search(StillSearch(text: "vasovagal"))
        #expect(Set(names(words, stills)) == Set(stills.keys.filter { $0.contains("P2") }))
        let wordsAndLevel = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L4"), text: "soreness"))
        #expect(names(wordsAndLevel, stills) == ["L4 (P1, day 10)", "left L4-L5 facet (P1, day 10)"])
    }

    @Test("the limit cuts the ranked list, not an arbitrary subset")
    func limit() async throws {
        let (f, stills) = try await build()
        let results = try await f.archive.search(StillSearch(site: try SiteQuery(parsing: "L4"), limit: 2))
        #expect(names(results, stills) == ["L4 (P1, day 10)", "L3-L4 (P1, day 40)"])
    }
}
