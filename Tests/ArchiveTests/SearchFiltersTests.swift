import Anatomy
import Foundation
import Testing
@testable import Archive

/// The search fields as people type them, read once for the CLI, the search page and the export.
@Suite("search filters as typed")
struct SearchFiltersTests {
    @Test("a query is a site when it reads as one, words otherwise")
    func query() throws {
        let site = try StillSearch(.init(query: "L5/S1", side: "left"))
        #expect(site.site?.site.description == "left L5-S1" && site.text == nil)
        let words = try StillSearch(.init(query: "vasovagal reaction"))
        #expect(words.site == nil && words.text == "vasovagal reaction")
        let both = try StillSearch(.init(query: "tolerated", level: "C5-6"))
        #expect(both.site?.site.description == "C5-C6" && both.text == "tolerated")
    }

    @Test("something meant as a level that is not one says what would be right", arguments: [
        ("L8", "no vertebra L8: lumbar levels are L1-L5"), ("c9", "cervical levels are C1-C7"),
    ])
    func notALevel(query: String, message: String) {
        #expect { try StillSearch(.init(query: query)) } throws: { "\($0)".contains(message) }
    }

    @Test("bad fields are refused with the field named", arguments: [
        (StillSearch.Filters(level: "L4", region: "lumbar"), "a level or a region, not both"),
        (StillSearch.Filters(from: "yesterday"), "from \"yesterday\" is not a date: write 2024-05-02"),
        (StillSearch.Filters(exact: true), "exact needs a level or site"),
        (StillSearch.Filters(structure: "kneecap"), "kneecap"),
        (StillSearch.Filters(limit: 0), "limit must be 1-1000"),
    ])
    func badFields(filters: StillSearch.Filters, message: String) {
        #expect { try StillSearch(filters) } throws: { "\($0)".contains(message) }
    }
}
