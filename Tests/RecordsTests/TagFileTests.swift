import Anatomy
import Foundation
import Records
import Testing

@Suite("Tag files: one event a line, read from the end")
struct TagFileTests {
    static let example = "00:12.5 L4-L5 facet-capsule left"

    @Test("good lines give the time and the tag", arguments: [
        ("00:12.5 L4-L5 facet-capsule left", 12.5, "left L4-L5 facet-capsule"),
        ("00:40 left SI joint posterior-sacroiliac-ligament", 40, "left SI joint posterior-sacroiliac-ligament"),
        ("01:02:03.5 T7 rib costotransverse-joint R", 3723.5, "right T7 rib costotransverse-joint"),
        ("0:05 L5/S1", 5, "L5-S1"),
        ("00:07 L4-L5 left facet-capsule", 7, "left L4-L5 facet-capsule"),
        ("00:08 l4-5 Facet-Capsule", 8, "L4-L5 facet-capsule"),
        ("00:09 SIJ R", 9, "right SI joint"),
        ("00:10 sacroiliac-joint", 10, "SI joint"),
        ("00:11 left SI joint sacroiliac-joint", 11, "left SI joint sacroiliac-joint"),
        ("00:12 left L4-L5 facet-capsule left", 12, "left L4-L5 facet-capsule"),
        ("00:13 C5-C6 interspinous-ligament midline", 13, "midline C5-C6 interspinous-ligament"),
        ("00:14 L3 to S1 thoracolumbar-fascia bilateral", 14, "bilateral L3-S1 thoracolumbar-fascia"),
        ("00:15 L4-L5 facet-capsule left side", 15, "left L4-L5 facet-capsule"),
        ("  00:16\tL4/L5   facet-capsule   # after the pop", 16, "L4-L5 facet-capsule"),
        ("75:00 lumbar", 4500, "lumbar"),
        ("00:59.999 sternum sternocostal-joint left", 59.999, "left sternum sternocostal-joint"),
        ("00:17 iliolumbar iliolumbar-ligament right", 17, "right iliolumbar region iliolumbar-ligament"),
        ("10:00:00 coccyx sacrococcygeal-ligament", 36000, "coccyx sacrococcygeal-ligament"),
    ])
    func goodLine(line: String, time: Double, tag: String) throws {
        let file = try TagFile(parsing: line, author: "tech1")
        let event = try #require(file.events.first)
        #expect(file.events.count == 1)
        #expect(event.time == time)
        #expect(event.tag.description == tag)
        #expect(event.author == "tech1")
        #expect(event.source == .tagFile)
    }

    @Test("bad lines say what was wrong and what would be right", arguments: [
        ("00:12.5 L8-L9 facet-capsule left", #"line 1: "L8-L9" is not a site: no vertebra L8: lumbar levels are L1-L5"#),
        ("12.5 L4-L5", #"line 1: "12.5" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("1:2 L4", #"line 1: "1:2" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("00:12. L4", #"line 1: "00:12." is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("1:00:00:00 L4", #"line 1: "1:00:00:00" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("-00:05 L4", #"line 1: "-00:05" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("L4-L5 00:12", #"line 1: "L4-L5" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"#),
        ("00:75 L4-L5", #"line 1: "00:75" is not a time: seconds run 00-59"#),
        ("01:75:00 L4-L5", #"line 1: "01:75:00" is not a time: minutes run 00-59 after the hours"#),
        ("00:12.5", "line 1: nothing after the time 00:12.5: write TIME SITE [STRUCTURE] [SIDE], e.g. \(example)"),
        ("00:12.5   # no site yet", "line 1: nothing after the time 00:12.5: write TIME SITE [STRUCTURE] [SIDE], e.g. \(example)"),
        ("00:12 facet-capsule left",
         "line 1: structure facet-capsule has no site before it: write the site first, e.g. \(example)"),
        ("00:12 L4-L5 facet left", #"line 1: "facet" names a structure: write its id, facet-capsule"#),
        ("00:12 L4-L5 facet joint left", #"line 1: "facet joint" names a structure: write its id, facet-capsule"#),
        ("00:12 L4-L5 facet-capsul left",
         #"line 1: "facet-capsul" is not a side or a structure id: write a side (left, right, bilateral, midline) or a structure id (closest: facet-capsule)"#),
        ("00:12 L4-L5 interspinous-ligament facet-capsule",
         "line 1: interspinous-ligament is a second structure: a line tags one structure, so give each its own line"),
        ("00:12 left SI joint posterior-sacroiliac-ligament right",
         "line 1: both left and right given: write one side, or bilateral for both"),
        ("00:12 L5-L4", #"line 1: "L5-L4" is not a site: L5-L4 is written top to bottom: L4-L5"#),
        ("00:12 L6 facet-capsule",
         #"line 1: "L6" is not a site: L6 is transitional anatomy: lumbar levels are L1-L5; allow transitional levels to record L6"#),
        ("00:12 banana", #"line 1: unrecognised level "banana": write a level (L4), a segment (L4-L5, L4/5), a range (L3-S1), a region (lumbar) or a site (left SI joint, T7 rib)"#),
    ])
    func badLine(line: String, message: String) {
        do {
            let file = try TagFile(parsing: line, author: "tech1")
            Issue.record("\"\(line)\" was read as \(file.events)")
        } catch {
            #expect(error.description == message)
            #expect(error.problems.map(\.line) == [1])
        }
    }

    @Test("transitional levels are read when asked for")
    func transitionalLevels() throws {
        let file = try TagFile(parsing: "00:12 L5-L6 facet-capsule right", author: "tech1", options: .allowingTransitionalLevels)
        #expect(file.events.map(\.tag.description) == ["right L5-L6 facet-capsule"])
    }

    @Test("every bad line of a file is reported, by its line number, and nothing is imported")
    func lineNumbers() {
        let text = """
            # session 0B7E5C1A, tech1

            00:12.5 L4-L5 facet-capsule left
            00:75 L4-L5
            00:20 L8-L9
            00:30 L5-S1 facet-capsule right
            """
        do {
            let file = try TagFile(parsing: text, author: "tech1")
            Issue.record("a file with bad lines was read: \(file.events)")
        } catch {
            #expect(error.problems.map(\.line) == [4, 5])
            #expect(error.description == """
                line 4: "00:75" is not a time: seconds run 00-59
                line 5: "L8-L9" is not a site: no vertebra L8: lumbar levels are L1-L5
                """)
        }
    }

    @Test("comments, blank lines, CRLF line ends and a byte-order mark are all fine")
    func fileShape() throws {
        let text = "\u{FEFF}# exported by the scanner\r\n\r\n00:01 L4\r\n   \r\n00:02.25 C5-C6 facet-capsule left\r\n"
        let file = try TagFile(parsing: text, author: "import")
        #expect(file.events.map(\.time) == [1, 2.25])
        #expect(file.events.map(\.tag.description) == ["L4", "left C5-C6 facet-capsule"])
        #expect(try TagFile(parsing: "", author: "import").events.isEmpty)
    }

    @Test("a file written from events reads back to the same events")
    func writeAndRead() throws {
        let text = """
            00:12.5 L4-L5 facet-capsule left
            00:40 left SI joint posterior-sacroiliac-ligament
            01:02:03.5 T7 rib costotransverse-joint R
            00:00.125 lumbar
            """
        let file = try TagFile(parsing: text, author: "tech1")
        #expect(file.text == """
            00:12.5 left L4-L5 facet-capsule
            00:40 left SI joint posterior-sacroiliac-ligament
            01:02:03.5 right T7 rib costotransverse-joint
            00:00.125 lumbar

            """)
        #expect(try TagFile(parsing: file.text, author: "tech1") == file)
    }
}
