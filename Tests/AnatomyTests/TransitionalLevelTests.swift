import Anatomy
import Testing

@Suite("Transitional anatomy, when asked for")
struct TransitionalLevelTests {
    static let cases: [ParseCase] = [
        .ok("L6", "L6"),
        .ok("T13", "T13"),
        .ok("L5-L6", "L5-L6"),
        .ok("L5/6", "L5-L6"),
        .ok("L6-S1", "L6-S1"),
        .ok("T12-T13", "T12-T13"),
        .ok("T13/L1", "T13-L1"),
        .ok("L4-L6", "L4-L6"),
        .ok("L5-S1", "L5-S1"),
        .ok("left L6", "left L6"),
        .refused("L7", "no vertebra L7: lumbar levels are L1-L5"),
        .refused("T14", "no vertebra T14: thoracic levels are T1-T12"),
        .refused("L6-L5", "L6-L5 is written top to bottom: L5-L6"),
        .refused("T13 rib", "rib 13 does not exist: ribs are 1-12"),
    ]

    @Test("with transitional levels allowed, T13 and L6 are read", arguments: cases)
    func parsing(_ testCase: ParseCase) {
        testCase.check { try AnatomicSite(parsing: $0, options: .allowingTransitionalLevels) }
    }

    @Test("a transitional level sits between its neighbours and keeps them adjacent")
    func segments() throws {
        let options = AnatomyParsingOptions.allowingTransitionalLevels
        #expect(try VertebralSpan(parsing: "L5-L6", options: options).kind == .segment)
        #expect(try VertebralSpan(parsing: "L6-S1", options: options).kind == .segment)
        #expect(try VertebralSpan(parsing: "L5-S1", options: options).kind == .segment)
        #expect(try VertebralSpan(parsing: "L4-L6", options: options).kind == .range)
        #expect(VertebralLevel.l5 < .l6 && VertebralLevel.l6 < .s1)
        #expect(VertebralLevel.t12 < .t13 && VertebralLevel.t13 < .l1)
    }

    @Test("an ordinary range never implies a transitional level")
    func ordinaryRange() throws {
        #expect(try VertebralSpan(parsing: "L3-S1").levels == [.l3, .l4, .l5, .s1])
        let withL6 = try VertebralSpan(parsing: "L5-L6", options: .allowingTransitionalLevels)
        #expect(withL6.levels == [.l5, .l6])
    }

    @Test("transitional levels get positions without moving ordinary ones")
    func positions() {
        #expect(VertebralLevel.t13.position == 213)
        #expect(VertebralLevel.l6.position == 306)
        #expect(VertebralLevel.t12.position == 212)
        #expect(VertebralLevel.l1.position == 301)
        #expect(VertebralLevel.s1.position == 401)
        #expect(VertebralLevel.t13.region == .thoracic)
        #expect(VertebralLevel.l6.region == .lumbar)
    }
}
