import Anatomy
import Testing

@Suite("Reading single levels, spans and regions")
struct LevelAndSpanParsingTests {
    static let levelCases: [ParseCase] = [
        .ok("L4", "L4"),
        .ok(" t12 ", "T12"),
        .ok("Coccyx", "coccyx"),
        .refused("L4-L5", "unrecognised level \"L4-L5\": write one vertebra (C5, T7, L4, S1, coccyx)"),
        .refused("L9", "no vertebra L9: lumbar levels are L1-L5"),
        .refused("", "nothing written: write one vertebra (C5, T7, L4, S1, coccyx)"),
    ]

    static let spanCases: [ParseCase] = [
        .ok("L4/5", "L4-L5"),
        .ok("c5-6", "C5-C6"),
        .ok("L3 to S1", "L3-S1"),
        .refused(
            "lumbar",
            "unrecognised level \"lumbar\": write a level (L4), a segment (L4-L5, L4/5) or a range (L3-S1)"),
        .refused("L5-L4", "L5-L4 is written top to bottom: L4-L5"),
    ]

    static let regionCases: [ParseCase] = [
        .ok("lumbar", "lumbar"),
        .ok("Cervical spine", "cervical"),
        .ok("c-spine", "cervical"),
        .ok("thoracic_spine", "thoracic"),
        .ok("coccygeal", "coccygeal"),
        .refused("L4", "unrecognised region \"L4\": write cervical, thoracic, lumbar, sacral or coccygeal"),
    ]

    @Test("a single vertebra", arguments: levelCases)
    func level(_ testCase: ParseCase) {
        testCase.check { try VertebralLevel(parsing: $0) }
    }

    @Test("a level, segment or range", arguments: spanCases)
    func span(_ testCase: ParseCase) {
        testCase.check { try VertebralSpan(parsing: $0) }
    }

    @Test("a region", arguments: regionCases)
    func region(_ testCase: ParseCase) {
        testCase.check { try SpinalRegion(parsing: $0) }
    }

    @Test("spans know whether they are a level, a segment or a range", arguments: [
        ("L4", VertebralSpan.Kind.level), ("L4-L5", .segment), ("L5-S1", .segment), ("C7-T1", .segment),
        ("T12-L1", .segment), ("S5-coccyx", .segment), ("L3-S1", .range), ("L3-L5", .range),
    ])
    func kind(text: String, kind: VertebralSpan.Kind) throws {
        #expect(try VertebralSpan(parsing: text).kind == kind)
    }

    @Test("a region covers its ordinary levels")
    func regionLevels() {
        #expect(SpinalRegion.lumbar.span.description == "L1-L5")
        #expect(SpinalRegion.cervical.levels.map(\.description) == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"])
        #expect(SpinalRegion.thoracic.levels.count == 12)
        #expect(SpinalRegion.coccygeal.span.description == "coccyx")
    }
}
