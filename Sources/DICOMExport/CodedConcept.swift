import Anatomy

/// A coded entry (PS3.3 Table 8.8-1 Code Sequence Macro): value, scheme and meaning,
/// as an item of a code sequence.
public struct CodedConcept: Sendable, Hashable {
    public let value: String
    public let scheme: String
    public let meaning: String

    public init(value: String, scheme: String, meaning: String) {
        self.value = value
        self.scheme = scheme
        self.meaning = meaning
    }

    public init(_ snomed: SNOMEDCode) {
        self.init(value: snomed.code, scheme: SNOMEDCode.codingSchemeDesignator, meaning: snomed.meaning)
    }

    /// DCM 113100 "Basic Application Confidentiality Profile" (PS3.16 CID 7050).
    public static let basicProfile = CodedConcept(value: "113100", scheme: "DCM", meaning: "Basic Application Confidentiality Profile")
    /// DCM 113101 "Clean Pixel Data Option".
    public static let cleanPixelData = CodedConcept(value: "113101", scheme: "DCM", meaning: "Clean Pixel Data Option")

    /// The concept as a sequence item, with optional nested attributes (such as a modifier sequence).
    public func item(adding extra: (inout DataSet) -> Void = { _ in }) -> DataSet {
        var item = DataSet()
        item.set(.codeValue, .SH, DICOMText.value(value, .SH))
        item.set(.codingSchemeDesignator, .SH, scheme)
        item.set(.codeMeaning, .LO, DICOMText.value(meaning, .LO))
        extra(&item)
        return item
    }
}
