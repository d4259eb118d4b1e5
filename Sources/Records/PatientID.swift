import Foundation

/// The clinic's identifier for a patient: 1 to 64 printable characters, without
/// DICOM's reserved backslash, so it fits a DICOM Patient ID (LO) unchanged.
///
/// Surrounding spaces are trimmed, since a scanner or spreadsheet may pad them.
/// Codable as the identifier text.
public struct PatientID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The identifier as stored.
    public let value: String

    /// - Throws: ``RecordError`` when the text is empty, longer than 64 characters,
    ///   or holds an unprintable character or a backslash.
    public init(_ text: String) throws(RecordError) {
        value = try TextRules.checked(text, field: .patientID, required: true, forbidden: TextRules.dicomReserved)
    }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension PatientID: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try validated(decoder) { () throws(RecordError) in try PatientID(text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
