import Anatomy
import Testing

@Suite("Anatomical order and round trips")
struct AnatomicalOrderTests {
    static let ordinaryNames = [
        "C1", "C2", "C3", "C4", "C5", "C6", "C7",
        "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
        "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5", "coccyx",
    ]

    @Test("sorting a shuffled list of levels gives C1 down to the coccyx")
    func sortingShuffledLevels() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let shuffled = VertebralLevel.ordinaryLevels.shuffled(using: &generator)
            #expect(shuffled.sorted().map(\.description) == Self.ordinaryNames)
        }
    }

    @Test("levels sort by position along the spine, never alphabetically")
    func notAlphabetical() throws {
        let written = ["T1", "C7", "L1", "S1", "coccyx", "C1", "T10", "T2"]
        let levels = try written.map { try VertebralLevel(parsing: $0) }
        #expect(levels.sorted().map(\.description) == ["C1", "C7", "T1", "T2", "T10", "L1", "S1", "coccyx"])
        #expect(SpinalRegion.allCases.shuffled().sorted() == [.cervical, .thoracic, .lumbar, .sacral, .coccygeal])
    }

    @Test("spans sort by their upper end, then their lower end")
    func spanOrder() throws {
        let written = ["L5-S1", "L4", "C5-C6", "L4-L5", "L3-S1", "T7"]
        let spans = try written.map { try VertebralSpan(parsing: $0) }
        #expect(spans.sorted().map(\.description) == ["C5-C6", "T7", "L3-S1", "L4", "L4-L5", "L5-S1"])
    }

    @Test("every level formats and parses back to itself", arguments: VertebralLevel.allCases)
    func levelRoundTrip(level: VertebralLevel) throws {
        #expect(try VertebralLevel(parsing: level.description, options: .allowingTransitionalLevels) == level)
        #expect(VertebralLevel(position: level.position) == level)
    }

    @Test("every segment and range formats and parses back to itself")
    func spanRoundTrip() throws {
        let levels = VertebralLevel.allCases
        var segments = 0
        for (index, upper) in levels.enumerated() {
            for lower in levels[index...] {
                let span = try #require(VertebralSpan(upper: upper, lower: lower))
                let reparsed = try VertebralSpan(parsing: span.description, options: .allowingTransitionalLevels)
                #expect(reparsed == span, "\(span)")
                if span.kind == .segment { segments += 1 }
            }
        }
        // 29 ordinary segments C1-C2 ... S5-coccyx, plus T12-T13, T13-L1, L5-L6 and L6-S1.
        #expect(segments == 33)
    }

    @Test("every non-vertebral site formats and parses back to itself")
    func siteRoundTrip() throws {
        let sides: [Laterality?] = [nil] + Laterality.allCases
        let ribs = Rib.numbers.compactMap(Rib.init).map(AnatomicSite.Location.rib)
        let regions = SpinalRegion.allCases.map(AnatomicSite.Location.region)
        let locations = ribs + regions + [.sternum, .sacroiliacJoint, .iliolumbarRegion, .vertebrae(.init(.l4))]
        for location in locations {
            for side in sides {
                let site = AnatomicSite(location, laterality: side)
                #expect(try AnatomicSite(parsing: site.description) == site, "\(site)")
            }
        }
    }
}
