import Foundation

extension Laterality {
    /// The DICOM Laterality (0020,0060) code: `R`, `L` or `B`.
    ///
    /// `nil` for the midline: DICOM defines Laterality only for paired body parts
    /// and leaves the attribute empty for unpaired ones.
    public var dicomCode: String? {
        switch self {
        case .left: "L"
        case .right: "R"
        case .bilateral: "B"
        case .midline: nil
        }
    }

    /// The DICOM Image Laterality (0020,0062) code, which adds `U` for unpaired.
    public var dicomImageLaterality: String { dicomCode ?? "U" }

    /// The SNOMED CT qualifier value for the side.
    ///
    /// Left, right and bilateral are those of `shared/reference/anatomy-codes.md`,
    /// confirmed in a public HL7 FHIR laterality value set (all three) and as the
    /// laterality modifiers of DICOM master list terms in 3D Slicer (left, right). Midline uses
    /// 260528009 |Median|: UNCONFIRMED, seen only in one public laterality table
    /// (another lists it as "Middle"); check it in a SNOMED CT browser before export.
    public var snomedCode: SNOMEDCode {
        switch self {
        case .left: SNOMEDCode("7771000", "Left")
        case .right: SNOMEDCode("24028007", "Right")
        case .bilateral: SNOMEDCode("51440002", "Right and left")
        case .midline: SNOMEDCode("260528009", "Median")
        }
    }
}
