import Anatomy
import Foundation
import Testing

/// A record shaped like what the Records module stores for a tagged still.
private struct Tag: Codable, Equatable {
    let site: AnatomicSite
    let level: VertebralLevel
    let span: VertebralSpan
    let region: SpinalRegion
    let side: Laterality
    let structure: TargetStructure
    let rib: Rib
    let bodyPart: BodyPartExamined
    let code: SNOMEDCode
}

@Suite("Stored values survive JSON")
struct CodableTests {
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    @Test("a tag encodes as readable text and decodes to the same values")
    func roundTrip() throws {
        let tag = Tag(
            site: try AnatomicSite(parsing: "left T7 rib"), level: .l4, span: try VertebralSpan(parsing: "L5/S1"),
            region: .lumbar, side: .bilateral, structure: .facetCapsule, rib: try Rib(number: 12),
            bodyPart: .lumbosacralSpine, code: Laterality.left.snomedCode)
        let json = String(decoding: try encoder.encode(tag), as: UTF8.self)
        #expect(json == """
            {"bodyPart":"LSSPINE","code":{"code":"7771000","meaning":"Left"},"level":"L4","region":"lumbar",\
            "rib":12,"side":"bilateral","site":"left T7 rib","span":"L5-S1","structure":"facet-capsule"}
            """)
        #expect(try JSONDecoder().decode(Tag.self, from: Data(json.utf8)) == tag)
    }

    @Test("every site round-trips through JSON", arguments: [
        "L4", "L4-L5", "L3-S1", "C7-T1", "lumbar", "left T7 rib", "right SI joint", "sternum",
        "iliolumbar region", "coccyx", "S5-coccyx", "L6", "T12-T13", "midline L4-L5",
    ])
    func siteRoundTrip(text: String) throws {
        let site = try AnatomicSite(parsing: text, options: .allowingTransitionalLevels)
        let data = try encoder.encode([site])
        #expect(try JSONDecoder().decode([AnatomicSite].self, from: data) == [site])
    }

    @Test("decoding refuses anatomy that does not exist, with the parser's message")
    func corruptData() {
        let cases = [
            (#"["L8"]"#, "no vertebra L8"), (#"["rib 13"]"#, "rib 13 does not exist"),
        ]
        for (json, message) in cases {
            do {
                _ = try JSONDecoder().decode([AnatomicSite].self, from: Data(json.utf8))
                Issue.record("\(json) decoded")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.debugDescription.contains(message))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([TargetStructure].self, from: Data(#"["facet-capsul"]"#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Rib].self, from: Data("[0]".utf8)) }
    }
}
