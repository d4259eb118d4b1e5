import Foundation

/// DICOM Body Part Examined (0018,0015) defined terms for the clinic's sites,
/// with the SNOMED CT concept DICOM PS3.16 Annex L maps each to.
///
/// The raw value is the defined term DICOM stores (`"LSPINE"`).
public enum BodyPartExamined: String, CaseIterable, Hashable, Sendable, Codable {
    case cervicalSpine = "CSPINE"
    case cervicothoracicSpine = "CTSPINE"
    case thoracicSpine = "TSPINE"
    case thoracolumbarSpine = "TLSPINE"
    case lumbarSpine = "LSPINE"
    case lumbosacralSpine = "LSSPINE"
    case sacrum = "SSPINE"
    case coccyx = "COCCYX"
    case sacroiliacJoint = "SIJOINT"
    case spine = "SPINE"
    case rib = "RIB"
    case sternum = "STERNUM"

    /// The defined term as written into the DICOM attribute.
    public var definedTerm: String { rawValue }

    /// The SNOMED CT concept for Anatomic Region Sequence (0008,2218).
    ///
    /// Every code here was confirmed against a second source: the PS3.16 Annex L
    /// Body Part Examined to SNOMED CT table as reproduced in a public DICOM
    /// library's mapping, which agrees with `shared/reference/anatomy-codes.md`.
    /// LSSPINE is 1217253001, which DICOM CP 2166 put in place of the older
    /// 297173004 (PixelMed's anatomic concept list records the change). RIB and STERNUM,
    /// marked *check* in the reference, are 113197003 and 56873002 in the same table.
    public var snomedCode: SNOMEDCode {
        switch self {
        case .cervicalSpine: SNOMEDCode("122494005", "Cervical spine")
        case .cervicothoracicSpine: SNOMEDCode("1217257000", "Cervico-thoracic spine")
        case .thoracicSpine: SNOMEDCode("122495006", "Thoracic spine")
        case .thoracolumbarSpine: SNOMEDCode("1217256009", "Thoraco-lumbar spine")
        case .lumbarSpine: SNOMEDCode("122496007", "Lumbar spine")
        case .lumbosacralSpine: SNOMEDCode("1217253001", "Lumbo-sacral spine")
        case .sacrum: SNOMEDCode("54735007", "Sacrum")
        case .coccyx: SNOMEDCode("64688005", "Coccyx")
        case .sacroiliacJoint: SNOMEDCode("39723000", "Sacroiliac joint")
        case .spine: SNOMEDCode("421060004", "Spine")
        case .rib: SNOMEDCode("113197003", "Rib")
        case .sternum: SNOMEDCode("56873002", "Sternum")
        }
    }
}
