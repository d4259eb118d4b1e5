import Anatomy
import Testing

@Suite("Sides")
struct LateralityTests {
    @Test("sides parse from what clinicians write", arguments: [
        ("L", Laterality.left), ("l", .left), ("left", .left), ("Lt", .left), ("LEFT", .left),
        ("R", .right), ("right", .right), ("rt", .right),
        ("B", .bilateral), ("bilat", .bilateral), ("Bilateral", .bilateral), ("both", .bilateral),
        ("both sides", .bilateral),
        ("M", .midline), ("midline", .midline), ("central", .midline), ("median", .midline),
    ])
    func parsing(text: String, side: Laterality) throws {
        #expect(try Laterality(parsing: text) == side)
    }

    @Test("an unknown side is refused with the choices")
    func unknown() {
        #expect(throws: AnatomyParseError.unrecognised("up", expected: .laterality)) { try Laterality(parsing: "up") }
        #expect(
            AnatomyParseError.unrecognised("up", expected: .laterality).description
                == "unrecognised side \"up\": write left, right, bilateral or midline (L, R, B, M)")
    }

    @Test("sides carry DICOM and SNOMED CT codes", arguments: [
        (Laterality.left, String?("L"), "L", "7771000"), (.right, "R", "R", "24028007"),
        (.bilateral, "B", "B", "51440002"), (.midline, nil, "U", "260528009"),
    ])
    func codes(side: Laterality, dicom: String?, image: String, snomed: String) {
        #expect(side.dicomCode == dicom)
        #expect(side.dicomImageLaterality == image)
        #expect(side.snomedCode.code == snomed)
    }

    @Test("bilateral overlaps both sides; midline only itself")
    func overlaps() {
        #expect(Laterality.bilateral.overlaps(.left) && Laterality.bilateral.overlaps(.right))
        #expect(!Laterality.left.overlaps(.right))
        #expect(!Laterality.midline.overlaps(.bilateral))
        #expect(Laterality.midline.overlaps(.midline))
    }
}
