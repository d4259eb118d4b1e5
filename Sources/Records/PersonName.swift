import Foundation

/// A member of staff as records, pages and DICOM name them: family and given name, and
/// credentials such as "MD" or "RDMS" when the clinic wants them shown.
///
/// Checked like a patient's names (trimmed, printable, at most 64 characters, none of
/// DICOM's name delimiters `^`, `=`, `\`), so ``dicomName`` is a well-formed Person Name.
public struct PersonName: Hashable, Sendable, Codable {
    public let family: String
    public let given: String
    /// May be empty.
    public let credentials: String

    /// - Throws: ``RecordError`` when the family or given name is empty, or a part is too
    ///   long or holds an unprintable character or a DICOM name delimiter.
    public init(family: String, given: String, credentials: String = "") throws(RecordError) {
        self.family = try TextRules.checked(family, field: .staffFamilyName, required: true, forbidden: TextRules.personNameReserved)
        self.given = try TextRules.checked(given, field: .staffGivenName, required: true, forbidden: TextRules.personNameReserved)
        self.credentials = try TextRules.checked(credentials, field: .credentials, required: false, forbidden: TextRules.personNameReserved)
    }

    /// "Ann Lee, MD": how pages and reports name the person.
    public var display: String {
        credentials.isEmpty ? "\(given) \(family)" : "\(given) \(family), \(credentials)"
    }

    /// `Lee^Ann`, or `Lee^Ann^^^MD` with credentials (DICOM's name suffix component).
    public var dicomName: String {
        credentials.isEmpty ? "\(family)^\(given)" : "\(family)^\(given)^^^\(credentials)"
    }

    private enum CodingKeys: String, CodingKey { case family, given, credentials }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let family = try container.decode(String.self, forKey: .family)
        let given = try container.decode(String.self, forKey: .given)
        let credentials = try container.decodeIfPresent(String.self, forKey: .credentials) ?? ""
        self = try validated(decoder) { () throws(RecordError) in
            try PersonName(family: family, given: given, credentials: credentials)
        }
    }
}
