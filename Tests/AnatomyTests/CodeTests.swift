import Anatomy
import Testing

@Suite("DICOM and SNOMED CT codes")
struct CodeTests {
    @Test("sites map to DICOM Body Part Examined", arguments: [
        ("L4-L5", "LSPINE"), ("C5-C6", "CSPINE"), ("T7", "TSPINE"), ("L5-S1", "LSSPINE"), ("L3-S1", "LSSPINE"),
        ("C7-T1", "CTSPINE"), ("T12-L1", "TLSPINE"), ("S2", "SSPINE"), ("coccyx", "COCCYX"),
        ("left SI joint", "SIJOINT"), ("T7 rib", "RIB"), ("sternum", "STERNUM"), ("lumbar", "LSPINE"),
        ("cervical spine", "CSPINE"), ("sacral", "SSPINE"), ("C5-L1", "SPINE"), ("S5-coccyx", "SPINE"),
        ("iliolumbar", "LSSPINE"),
    ])
    func bodyPart(text: String, term: String) throws {
        #expect(try AnatomicSite(parsing: text).bodyPartExamined.definedTerm == term)
    }

    @Test("Body Part Examined terms carry the PS3.16 Annex L SNOMED CT codes", arguments: [
        (BodyPartExamined.cervicalSpine, "122494005"), (.cervicothoracicSpine, "1217257000"),
        (.thoracicSpine, "122495006"), (.thoracolumbarSpine, "1217256009"), (.lumbarSpine, "122496007"),
        (.lumbosacralSpine, "1217253001"), (.sacrum, "54735007"), (.coccyx, "64688005"),
        (.sacroiliacJoint, "39723000"), (.spine, "421060004"), (.rib, "113197003"), (.sternum, "56873002"),
    ])
    func bodyPartCodes(part: BodyPartExamined, code: String) {
        #expect(part.snomedCode.code == code)
    }

    @Test("vertebrae carry their SNOMED CT codes", arguments: [
        (VertebralLevel.c1, "14806007"), (.c7, "87391001"), (.t1, "64864005"), (.t12, "23215003"),
        (.l4, "11994002"), (.l5, "49668003"), (.coccyx, "64688005"),
    ])
    func vertebraCodes(level: VertebralLevel, code: String) {
        #expect(level.snomedCode?.code == code)
    }

    @Test("every ordinary cervical, thoracic and lumbar vertebra has a code; unconfirmed ones have none")
    func codeCoverage() {
        for level in VertebralLevel.ordinaryLevels where [.cervical, .thoracic, .lumbar].contains(level.region) {
            #expect(level.snomedCode != nil, "\(level)")
        }
        #expect(VertebralLevel.s1.snomedCode == nil)
        #expect(VertebralLevel.l6.snomedCode == nil)
        #expect(VertebralLevel.l4.snomedCode?.meaning == "L4 vertebra")
    }

    @Test("ribs carry their own codes")
    func ribCodes() throws {
        #expect(try Rib(number: 1).snomedCode.code == "48535007")
        #expect(try Rib(number: 7).snomedCode.meaning == "Seventh rib")
        #expect(try Rib(number: 12).snomedCode.code == "43993008")
    }
}
