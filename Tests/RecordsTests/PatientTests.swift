import Foundation
import Records
import Testing

@Suite("Patients: identifiers, names and birth dates")
struct PatientTests {
    static let backslashAdvice = "use printable characters other than \\, which DICOM reserves"
    static let nameAdvice = "use printable characters other than ^, = and \\, which DICOM reserves in names"

    @Test("patient IDs the clinic uses are kept, trimmed", arguments: [
        ("MRN-004211", "MRN-004211"),
        ("  12345 ", "12345"),
        ("Müller/7", "Müller/7"),
        (String(repeating: "A", count: 64), String(repeating: "A", count: 64)),
    ])
    func goodPatientID(input: String, stored: String) throws {
        #expect(try PatientID(input).value == stored)
    }

    @Test("bad patient IDs are refused with what would be right", arguments: [
        ("", "patient ID is empty: write the clinic's patient identifier"),
        ("   ", "patient ID is empty: write the clinic's patient identifier"),
        (String(repeating: "7", count: 65), "patient ID is 65 characters long: write at most 64"),
        ("AB\\12", "patient ID \"AB\\12\" contains \"\\\": \(backslashAdvice)"),
        ("AB\t12", "patient ID contains the unprintable character U+0009: \(backslashAdvice)"),
        ("AB\u{200B}12", "patient ID contains the unprintable character U+200B: \(backslashAdvice)"),
    ])
    func badPatientID(input: String, message: String) {
        expectRefusal(message) { () throws(RecordError) in try PatientID(input) }
    }

    @Test("birth dates are read as YYYY-MM-DD and must exist", arguments: [
        ("1984-03-21", "1984-03-21"), ("2024-02-29", "2024-02-29"), ("2000-02-29", "2000-02-29"),
        ("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"),
    ])
    func goodDate(text: String, canonical: String) throws {
        #expect(try CalendarDate(parsing: text).description == canonical)
    }

    @Test("impossible or badly written dates are refused", arguments: [
        ("2023-02-29", "2023-02-29 does not exist: February 2023 has 28 days"),
        ("1900-02-29", "1900-02-29 does not exist: February 1900 has 28 days"),
        ("2023-04-31", "2023-04-31 does not exist: April 2023 has 30 days"),
        ("2023-01-00", "2023-01-00 does not exist: January 2023 has 31 days"),
        ("2023-13-01", "month 13 is out of range: months are 1-12"),
        ("2023-00-10", "month 0 is out of range: months are 1-12"),
        ("0000-01-01", "year 0 is out of range: years are 1-9999"),
        ("1984/03/21", "date \"1984/03/21\" is not valid: write YYYY-MM-DD, e.g. 1984-03-21"),
        ("1984-3-21", "date \"1984-3-21\" is not valid: write YYYY-MM-DD, e.g. 1984-03-21"),
        ("84-03-21", "date \"84-03-21\" is not valid: write YYYY-MM-DD, e.g. 1984-03-21"),
        ("", "date \"\" is not valid: write YYYY-MM-DD, e.g. 1984-03-21"),
        ("1984-03-21T00:00", "date \"1984-03-21T00:00\" is not valid: write YYYY-MM-DD, e.g. 1984-03-21"),
    ])
    func badDate(text: String, message: String) {
        expectRefusal(message) { () throws(RecordError) in try CalendarDate(parsing: text) }
    }

    @Test("dates sort by day and give ages in whole years")
    func dateOrderAndAge() throws {
        let dates = try ["2024-03-21", "1984-12-01", "1984-03-21", "1984-03-02"].map(CalendarDate.init(parsing:))
        #expect(dates.sorted().map(\.description) == ["1984-03-02", "1984-03-21", "1984-12-01", "2024-03-21"])
        let birth = try CalendarDate(parsing: "1984-03-21")
        #expect(birth.years(until: try CalendarDate(parsing: "2024-03-20")) == 39)
        #expect(birth.years(until: try CalendarDate(parsing: "2024-03-21")) == 40)
        let leapling = try CalendarDate(parsing: "2000-02-29")
        #expect(leapling.years(until: try CalendarDate(parsing: "2023-02-28")) == 22)
        #expect(leapling.years(until: try CalendarDate(parsing: "2023-03-01")) == 23)
        #expect(birth.dicomDate == "19840321")
    }

    @Test("a calendar date is the day in the given time zone")
    func dateFromInstant() throws {
        let lateEvening = Date(timeIntervalSince1970: 1_710_027_000)  // 2024-03-09T23:30:00Z
        let utc = try #require(TimeZone(identifier: "UTC"))
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        #expect(CalendarDate(lateEvening, in: utc).description == "2024-03-09")
        #expect(CalendarDate(lateEvening, in: tokyo).description == "2024-03-10")
        #expect(try CalendarDate(parsing: "2024-03-09").startDate(in: utc) == Date(timeIntervalSince1970: 1_709_942_400))
    }

    @Test("sex maps to DICOM codes both ways", arguments: [
        (Sex.female, "F"), (.male, "M"), (.other, "O"), (.unknown, ""),
    ])
    func sexCodes(sex: Sex, code: String) {
        #expect(sex.dicomCode == code)
        #expect(Sex(dicomCode: code) == sex)
        #expect(Sex(dicomCode: code.lowercased()) == sex)
    }

    @Test("an unknown DICOM sex code reads as nothing")
    func unknownSexCode() {
        #expect(Sex(dicomCode: "X") == nil)
    }

    @Test("the DICOM name is FAMILY^GIVEN, or the family name alone")
    func dicomName() throws {
        let birth = try CalendarDate(parsing: "1984-03-21")
        let patient = try Patient(id: Fixture.patientID(), familyName: " Okafor ", givenName: "Adaeze", birthDate: birth, sex: .female)
        #expect(patient.familyName == "Okafor")
        #expect(patient.dicomName == "Okafor^Adaeze")
        #expect(patient.age(on: try CalendarDate(parsing: "2024-03-09")) == 39)
        let mononym = try Patient(id: Fixture.patientID(), familyName: "Suharto", givenName: "", birthDate: birth, sex: .male)
        #expect(mononym.dicomName == "Suharto")
    }

    @Test("names that would break a DICOM name are refused", arguments: [
        ("", "Adaeze", "family name is empty: write the patient's family name"),
        ("Smith^Jr", "Ann", "family name \"Smith^Jr\" contains \"^\": \(nameAdvice)"),
        ("Okafor", "A=B", "given name \"A=B\" contains \"=\": \(nameAdvice)"),
        ("Okafor", String(repeating: "a", count: 65), "given name is 65 characters long: write at most 64"),
        ("Oka\nfor", "Ann", "family name contains the unprintable character U+000A: \(nameAdvice)"),
    ])
    func badNames(family: String, given: String, message: String) throws {
        let id = try Fixture.patientID()
        let birth = try CalendarDate(parsing: "1984-03-21")
        expectRefusal(message) { () throws(RecordError) in
            try Patient(id: id, familyName: family, givenName: given, birthDate: birth, sex: .female)
        }
    }

    @Test("a patient is stored as plain fields")
    func storedForm() throws {
        let json = #"{"birthDate":"1984-03-21","familyName":"Okafor","givenName":"Adaeze","id":"MRN-004211","sex":"female"}"#
        let patient = try decodeJSON(Patient.self, json)
        #expect(patient.id.value == "MRN-004211")
        #expect(patient.birthDate == (try CalendarDate(year: 1984, month: 3, day: 21)))
        #expect(patient.sex == .female)
        #expect(try encodeJSON(patient) == json)
    }

    @Test("stored patients are checked as they are read")
    func corruptPatient() {
        let badDate = #"{"birthDate":"1984-02-30","familyName":"Okafor","givenName":"","id":"MRN-1","sex":"female"}"#
        #expect(decodingFailure(Patient.self, badDate) == "1984-02-30 does not exist: February 1984 has 29 days")
        let badName = #"{"birthDate":"1984-02-03","familyName":"O^K","id":"MRN-1","sex":"female"}"#
        #expect(decodingFailure(Patient.self, badName) == "family name \"O^K\" contains \"^\": \(Self.nameAdvice)")
        #expect(decodingFailure(PatientID.self, #""""#) == "patient ID is empty: write the clinic's patient identifier")
    }
}
