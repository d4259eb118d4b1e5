import Anatomy
import Testing

@Suite("Reading sites as clinicians write them")
struct SiteParsingTests {
    static let unrecognisedAdvice = "write a level (L4), a segment (L4-L5, L4/5), a range (L3-S1), "
        + "a region (lumbar) or a site (left SI joint, T7 rib)"

    static let cases: [ParseCase] = [
        // Segments in every spelling the clinic uses.
        .ok("L4-L5", "L4-L5"),
        .ok("L4/5", "L4-L5"),
        .ok("L4-5", "L4-L5"),
        .ok("L5-S1", "L5-S1"),
        .ok("L5/S1", "L5-S1"),
        .ok("C5-6", "C5-C6"),
        .ok("l4\u{2013}l5", "L4-L5"),
        .ok("L4\u{2014}L5", "L4-L5"),
        .ok("  l4 - l5  ", "L4-L5"),
        .ok("L4 \u{2013} L5", "L4-L5"),
        .ok("l4 / 5", "L4-L5"),
        .ok("L5 S1", "L5-S1"),
        .ok("C7-T1", "C7-T1"),
        .ok("T12/L1", "T12-L1"),
        .ok("C1-C2", "C1-C2"),
        .ok("S5-coccyx", "S5-coccyx"),
        // Ranges and single levels.
        .ok("L3 to S1", "L3-S1"),
        .ok("L3-S1", "L3-S1"),
        .ok("l3 through s1", "L3-S1"),
        .ok("T4-T8", "T4-T8"),
        .ok("L4", "L4"),
        .ok("l4", "L4"),
        .ok("coccyx", "coccyx"),
        // Regions.
        .ok("lumbar", "lumbar"),
        .ok("cervical spine", "cervical"),
        .ok("L-spine", "lumbar"),
        .ok("Thoracic Spine", "thoracic"),
        .ok("sacrum", "sacral"),
        // Ribs.
        .ok("T7 rib", "T7 rib"),
        .ok("rib 7", "T7 rib"),
        .ok("left T7 rib", "left T7 rib"),
        .ok("7th rib", "T7 rib"),
        .ok("rib7", "T7 rib"),
        .ok("R rib 12", "right T12 rib"),
        // Named sites and sides.
        .ok("left SI joint", "left SI joint"),
        .ok("SIJ", "SI joint"),
        .ok("sacroiliac joint", "SI joint"),
        .ok("SIJ R", "right SI joint"),
        .ok("bilat SIJ", "bilateral SI joint"),
        .ok("Lt SIJ", "left SI joint"),
        .ok("sternum", "sternum"),
        .ok("left sternoclavicular joint", "left sternum"),
        .ok("iliolumbar", "iliolumbar region"),
        .ok("right iliolumbar ligament", "right iliolumbar region"),
        .ok("left-sided L4-L5", "left L4-L5"),
        .ok("L4-L5 (L)", "left L4-L5"),
        .ok("midline L4-L5", "midline L4-L5"),
        .ok("B/L SIJ", "bilateral SI joint"),
        .ok("SI joint, right side", "right SI joint"),
        // Levels that do not exist, with what would be right.
        .refused("L8", "no vertebra L8: lumbar levels are L1-L5"),
        .refused("L12", "no vertebra L12: lumbar levels are L1-L5"),
        .refused("T0", "no vertebra T0: thoracic levels are T1-T12"),
        .refused("S6", "no vertebra S6: sacral levels are S1-S5"),
        .refused("C0", "no vertebra C0: cervical levels are C1-C7"),
        .refused("L4-L8", "no vertebra L8: lumbar levels are L1-L5"),
        .refused("C8", "C8 is a nerve root, not a vertebra: cervical levels are C1-C7"),
        .refused("C8-T1", "C8 is a nerve root, not a vertebra: cervical levels are C1-C7"),
        .refused(
            "L6", "L6 is transitional anatomy: lumbar levels are L1-L5; allow transitional levels to record L6"),
        .refused(
            "T13", "T13 is transitional anatomy: thoracic levels are T1-T12; allow transitional levels to record T13"),
        .refused(
            "T12-13",
            "T13 is transitional anatomy: thoracic levels are T1-T12; allow transitional levels to record T13"),
        // Upside-down and repeated levels are refused, never flipped.
        .refused("L5-L4", "L5-L4 is written top to bottom: L4-L5"),
        .refused("L5-L3", "L5-L3 is written top to bottom: L3-L5"),
        .refused("l5/4", "L5-L4 is written top to bottom: L4-L5"),
        .refused("S1-L5", "S1-L5 is written top to bottom: L5-S1"),
        .refused("L4-L4", "L4-L4 names one level twice: write L4"),
        // Ribs that do not exist.
        .refused("rib 13", "rib 13 does not exist: ribs are 1-12"),
        .refused("rib 0", "rib 0 does not exist: ribs are 1-12"),
        .refused("T13 rib", "rib 13 does not exist: ribs are 1-12"),
        .refused("L1 rib", "L1 has no rib: ribs join T1-T12 (write T7 rib or rib 7)"),
        // Sides that contradict each other.
        .refused("left SIJ right", "both left and right given: write one side, or bilateral for both"),
        // Text that is not a site at all.
        .refused("foo", "unrecognised level \"foo\": \(unrecognisedAdvice)"),
        .refused("", "nothing written: \(unrecognisedAdvice)"),
        .refused("left", "unrecognised level \"left\": \(unrecognisedAdvice)"),
        .refused("L4-", "unrecognised level \"L4-\": \(unrecognisedAdvice)"),
        .refused("L4-L5-S1", "unrecognised level \"L4-L5-S1\": \(unrecognisedAdvice)"),
        .refused("X4", "unrecognised level \"X4\": \(unrecognisedAdvice)"),
        .refused("4-5", "unrecognised level \"4-5\": \(unrecognisedAdvice)"),
    ]

    @Test("a typed site parses to its canonical form or is refused with advice", arguments: cases)
    func parsing(_ testCase: ParseCase) {
        testCase.check { try AnatomicSite(parsing: $0) }
    }

    @Test("the table covers at least sixty cases")
    func tableSize() {
        #expect(Self.cases.count >= 60)
    }

    @Test("a parsed site carries its location and side as values")
    func parsedValues() throws {
        let site = try AnatomicSite(parsing: "left T7 rib")
        #expect(site.location == .rib(try Rib(number: 7)))
        #expect(site.laterality == .left)
        #expect(try AnatomicSite(parsing: "L4/5") == AnatomicSite(VertebralSpan(covering: .l4, .l5)))
        #expect(try AnatomicSite(parsing: "lumbar").location == .region(.lumbar))
    }

    @Test("errors are typed, so callers can react to the kind of mistake")
    func typedErrors() {
        #expect(throws: AnatomyParseError.noSuchVertebra(region: .lumbar, number: 8)) {
            try AnatomicSite(parsing: "L8")
        }
        #expect(throws: AnatomyParseError.writtenBottomToTop(first: .l5, second: .l4)) {
            try AnatomicSite(parsing: "L5-L4")
        }
        #expect(throws: AnatomyParseError.noSuchRib(13)) { try AnatomicSite(parsing: "rib 13") }
    }
}
