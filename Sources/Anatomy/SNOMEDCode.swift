import Foundation

/// A SNOMED CT concept: its identifier and the meaning to show beside it.
///
/// DICOM writes such a concept as Code Value, Coding Scheme Designator `SCT` and
/// Code Meaning; ``codingSchemeDesignator`` is provided for that.
public struct SNOMEDCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The SNOMED CT concept identifier, digits only (`"24028007"`).
    public let code: String
    /// The preferred term, used as DICOM Code Meaning (`"Right"`).
    public let meaning: String

    /// DICOM's Coding Scheme Designator for SNOMED CT.
    public static let codingSchemeDesignator = "SCT"

    public init(_ code: String, _ meaning: String) {
        self.code = code
        self.meaning = meaning
    }

    /// `24028007 |Right|`, the usual way to write a concept in SNOMED CT's own notation.
    public var description: String { "\(code) |\(meaning)|" }
}
