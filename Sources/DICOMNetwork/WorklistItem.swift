import DICOMExport

/// One scheduled procedure step from a modality worklist (PS3.4 K.6.1), as the tech picks
/// it: the patient, the RIS order (accession number, requested procedure, study instance
/// UID) and the step's schedule. Text is decoded by the answer's character set and trimmed;
/// an attribute the peer left empty is an empty string.
public struct WorklistItem: Sendable, Equatable, Codable {
    public var patientID: String
    /// DICOM's Person Name, `FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX` (first component group only).
    public var patientName: String
    /// `YYYY-MM-DD`, or empty.
    public var birthDate: String
    /// `M`, `F`, `O`, or empty.
    public var sex: String
    public var accessionNumber: String
    public var requestedProcedureID: String
    public var requestedProcedureDescription: String
    public var studyInstanceUID: String
    public var referringPhysician: String
    public var modality: String
    public var scheduledStationAETitle: String
    /// `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD`, or empty: the RIS's local time, as sent.
    public var scheduledStart: String
    public var scheduledStepID: String
    public var scheduledStepDescription: String

    /// The family name: the first component of ``patientName``.
    public var familyName: String { Self.component(patientName, 0) }
    /// The given name (and middle names after it, space separated).
    public var givenName: String {
        [Self.component(patientName, 1), Self.component(patientName, 2)].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "Doe, John", as lists show a name.
    public var displayName: String {
        givenName.isEmpty ? familyName : "\(familyName), \(givenName)"
    }

    /// Reads a C-FIND answer's identifier. Items without a scheduled procedure step (which
    /// PS3.4 requires) still read, with the step's fields empty.
    public init(_ answer: DataSet) {
        let set = answer.characterSet
        func text(_ tag: DICOMTag, in data: DataSet = answer) -> String { data.string(tag, inherited: set) ?? "" }
        let step = answer[.scheduledProcedureStepSequence]?.items?.first ?? DataSet()
        patientID = text(.patientID)
        patientName = text(.patientName).split(separator: "=", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        birthDate = Self.date(text(.patientBirthDate))
        sex = text(.patientSex)
        accessionNumber = text(.accessionNumber)
        requestedProcedureID = text(.requestedProcedureID)
        requestedProcedureDescription = text(.requestedProcedureDescription)
        studyInstanceUID = text(.studyInstanceUID)
        referringPhysician = text(.referringPhysicianName)
        modality = text(.modality, in: step)
        scheduledStationAETitle = text(.scheduledStationAETitle, in: step)
        let day = Self.date(text(.scheduledProcedureStepStartDate, in: step))
        let time = Self.time(text(.scheduledProcedureStepStartTime, in: step))
        scheduledStart = day.isEmpty ? "" : time.isEmpty ? day : "\(day)T\(time)"
        scheduledStepID = text(.scheduledProcedureStepID, in: step)
        scheduledStepDescription = text(.scheduledProcedureStepDescription, in: step)
    }

    private static func component(_ name: String, _ index: Int) -> String {
        let parts = name.split(separator: "^", omittingEmptySubsequences: false)
        return index < parts.count ? parts[index].trimmingCharacters(in: .whitespaces) : ""
    }

    /// `20261204` as `2026-12-04`; anything else (empty, a range) as it came.
    private static func date(_ value: String) -> String {
        let digits = Array(value)
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return value }
        return "\(String(digits[0..<4]))-\(String(digits[4..<6]))-\(String(digits[6..<8]))"
    }

    /// `093000.000` or `0930` as `09:30`.
    private static func time(_ value: String) -> String {
        let digits = Array(value.prefix { $0.isNumber })
        guard digits.count >= 4 else { return value.isEmpty ? "" : value }
        return "\(String(digits[0..<2])):\(String(digits[2..<4]))"
    }
}
