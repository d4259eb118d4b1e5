import Foundation

/// A patient of the clinic, as the archive stores and DICOM export needs them.
///
/// Names are trimmed and refused when they hold DICOM's name delimiters
/// (`^`, `=`, `\`), so ``dicomName`` is always a well-formed Person Name.
/// A change of name is a new value, made through the validating initialiser.
public struct Patient: Identifiable, Hashable, Sendable {
    /// The clinic's identifier.
    public let id: PatientID
    /// Never empty.
    public let familyName: String
    /// May be empty when only one name is known.
    public let givenName: String
    public let birthDate: CalendarDate
    public let sex: Sex

    /// - Throws: ``RecordError`` when the family name is empty, or a name is longer
    ///   than 64 characters or holds an unprintable character, `^`, `=` or `\`.
    public init(id: PatientID, familyName: String, givenName: String, birthDate: CalendarDate, sex: Sex) throws(RecordError) {
        self.id = id
        self.familyName = try TextRules.checked(
            familyName, field: .familyName, required: true, forbidden: TextRules.personNameReserved)
        self.givenName = try TextRules.checked(
            givenName, field: .givenName, required: false, forbidden: TextRules.personNameReserved)
        self.birthDate = birthDate
        self.sex = sex
    }

    /// The DICOM Person Name form, `FAMILY^GIVEN`, or just the family name when
    /// there is no given name (DICOM drops trailing empty components).
    public var dicomName: String {
        givenName.isEmpty ? familyName : "\(familyName)^\(givenName)"
    }

    /// The patient's age in whole years on `date`.
    public func age(on date: CalendarDate) -> Int {
        birthDate.years(until: date)
    }
}

extension Patient: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, familyName, givenName, birthDate, sex
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(PatientID.self, forKey: .id)
        let familyName = try container.decode(String.self, forKey: .familyName)
        let givenName = try container.decodeIfPresent(String.self, forKey: .givenName) ?? ""
        let birthDate = try container.decode(CalendarDate.self, forKey: .birthDate)
        let sex = try container.decodeIfPresent(Sex.self, forKey: .sex) ?? .unknown
        self = try validated(decoder) { () throws(RecordError) in
            try Patient(id: id, familyName: familyName, givenName: givenName, birthDate: birthDate, sex: sex)
        }
    }
}
