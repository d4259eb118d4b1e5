import Foundation

/// The RIS order a session carries out, as the modality worklist gave it (issue 15): the
/// accession number and study instance UID under which the PACS files the images, the
/// requested procedure and the scheduled step. Checked so every field fits its DICOM VR
/// (SH for the identifiers, LO for the descriptions, UI for the UID).
public struct ScheduledOrder: Hashable, Sendable, Codable {
    public let accessionNumber: String
    public let requestedProcedureID: String
    public let requestedProcedureDescription: String
    /// Empty when the RIS sent none: exports then use NeedleLog's own study UID.
    public let studyInstanceUID: String
    public let scheduledStepID: String
    public let scheduledStepDescription: String

    /// - Throws: ``RecordError`` for an identifier over 16 characters, a description over
    ///   64, a character DICOM cannot carry, or a UID that is not digits and dots.
    public init(accessionNumber: String, requestedProcedureID: String = "", requestedProcedureDescription: String = "",
                studyInstanceUID: String = "", scheduledStepID: String = "", scheduledStepDescription: String = "") throws(RecordError) {
        self.accessionNumber = try Self.short(accessionNumber, .accessionNumber)
        self.requestedProcedureID = try Self.short(requestedProcedureID, .requestedProcedureID)
        self.requestedProcedureDescription = try TextRules.checked(requestedProcedureDescription, field: .procedureDescription, required: false, forbidden: TextRules.dicomReserved)
        self.scheduledStepID = try Self.short(scheduledStepID, .scheduledStepID)
        self.scheduledStepDescription = try TextRules.checked(scheduledStepDescription, field: .procedureDescription, required: false, forbidden: TextRules.dicomReserved)
        let uid = studyInstanceUID.trimmingCharacters(in: .whitespaces)
        guard uid.isEmpty || Self.isUID(uid) else { throw .malformed(.studyInstanceUID, text: uid) }
        self.studyInstanceUID = uid
    }

    private static func short(_ text: String, _ field: RecordError.Field) throws(RecordError) -> String {
        let checked = try TextRules.checked(text, field: field, required: false, forbidden: TextRules.dicomReserved)
        guard checked.count <= 16 else { throw .tooLong(field, length: checked.count, limit: 16) }
        return checked
    }

    /// PS3.5 9.1: at most 64 characters, parts of digits without a leading zero (but "0").
    static func isUID(_ text: String) -> Bool {
        guard text.count <= 64 else { return false }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (part == "0" || part.first != "0")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case accessionNumber, requestedProcedureID, requestedProcedureDescription, studyInstanceUID, scheduledStepID, scheduledStepDescription
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try container.decodeIfPresent(String.self, forKey: key) ?? "" }
        let values = (try text(.accessionNumber), try text(.requestedProcedureID), try text(.requestedProcedureDescription),
                      try text(.studyInstanceUID), try text(.scheduledStepID), try text(.scheduledStepDescription))
        self = try validated(decoder) { () throws(RecordError) in
            try ScheduledOrder(accessionNumber: values.0, requestedProcedureID: values.1, requestedProcedureDescription: values.2,
                               studyInstanceUID: values.3, scheduledStepID: values.4, scheduledStepDescription: values.5)
        }
    }
}
