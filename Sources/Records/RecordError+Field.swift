import Foundation

extension RecordError {
    /// The value a ``RecordError`` is about, which decides the words of its message.
    public enum Field: String, CaseIterable, Hashable, Sendable {
        case patientID, familyName, givenName
        case year, month, date
        case painScore, followUpDay, treatmentNumber, treatmentText, daysSincePrevious
        case volume, needleGauge, needleLength
        case dextrose, lidocaine, salineFraction
        case plateletMultiple, plateletCount, nucleatedCells, aspirateVolume
        case injectateKind
        case time, sourceFrame, byteSize, width, height, contentHash, digestLength
        case millimetresPerPixel, coordinate, revision
        case archivePath, part
        case staffFamilyName, staffGivenName, credentials
        case addendumReason
        case accessionNumber, requestedProcedureID, procedureDescription, studyInstanceUID, scheduledStepID

        /// What the value is called in a message.
        var noun: String {
            switch self {
            case .patientID: "patient ID"
            case .familyName: "family name"
            case .givenName: "given name"
            case .year: "year"
            case .month: "month"
            case .date: "date"
            case .painScore: "pain score"
            case .followUpDay: "follow-up day"
            case .treatmentNumber, .treatmentText: "treatment"
            case .daysSincePrevious: "days since the previous treatment"
            case .volume: "volume"
            case .needleGauge: "needle gauge"
            case .needleLength: "needle length"
            case .dextrose: "dextrose"
            case .lidocaine: "lidocaine"
            case .salineFraction: "saline fraction"
            case .plateletMultiple: "platelet concentration"
            case .plateletCount: "platelet count"
            case .nucleatedCells: "nucleated cell count"
            case .aspirateVolume: "aspirate volume"
            case .injectateKind: "injectate"
            case .time: "time"
            case .sourceFrame: "source frame"
            case .byteSize: "file size"
            case .width: "width"
            case .height: "height"
            case .contentHash: "content hash"
            case .digestLength: "digest"
            case .millimetresPerPixel: "scale"
            case .coordinate: "coordinate"
            case .revision: "revision"
            case .archivePath: "archive path"
            case .part: "part"
            case .staffFamilyName: "family name"
            case .staffGivenName: "given name"
            case .credentials: "credentials"
            case .addendumReason: "reason for the addendum"
            case .accessionNumber: "accession number"
            case .requestedProcedureID: "requested procedure ID"
            case .procedureDescription: "procedure description"
            case .studyInstanceUID: "study instance UID"
            case .scheduledStepID: "scheduled procedure step ID"
            }
        }

        /// The unit written after a number in a message.
        var unit: String {
            switch self {
            case .volume, .aspirateVolume: " mL"
            case .needleLength: " mm"
            case .dextrose, .lidocaine: "%"
            case .plateletMultiple: "x baseline"
            case .plateletCount: "/µL"
            case .time: " s"
            case .byteSize, .digestLength: " bytes"
            case .width, .height: " px"
            case .millimetresPerPixel: " mm/px"
            default: ""
            }
        }

        /// What would be right when the value is missing.
        var emptyAdvice: String {
            switch self {
            case .patientID: "write the clinic's patient identifier"
            case .familyName: "write the patient's family name"
            case .staffFamilyName: "write the person's family name, as records and DICOM show it"
            case .staffGivenName: "write the person's given name, as records and DICOM show it"
            case .addendumReason: "the record is signed, so a change is an addendum: say why it changes (for example, the level recounted from the sacrum)"
            default: advice
            }
        }

        /// What would be right.
        var advice: String {
            switch self {
            case .patientID: "use printable characters other than \\, which DICOM reserves"
            case .familyName, .givenName, .staffFamilyName, .staffGivenName, .credentials: "use printable characters other than ^, = and \\, which DICOM reserves in names"
            case .year: "years are 1-9999"
            case .month: "months are 1-12"
            case .date: "write YYYY-MM-DD, e.g. 1984-03-21"
            case .painScore: "NRS is 0-10"
            case .followUpDay: "follow-ups are 1 day or more after the treatment"
            case .treatmentNumber: "treatments are numbered from 1"
            case .treatmentText: "write NUMBER/PLANNED, e.g. 2/6 for the second of six"
            case .daysSincePrevious: "write 0 days or more"
            case .volume: "each site takes more than 0 and at most 20 mL"
            case .needleGauge: "needles are 18-30 gauge"
            case .needleLength: "needles are more than 0 and at most 200 mm long"
            case .dextrose: "dextrose is 0-50%"
            case .lidocaine: "lidocaine is 0-2%"
            case .salineFraction: "the saline fraction is 0-1 of the volume"
            case .plateletMultiple: "PRP is more than 0 and at most 20x baseline"
            case .plateletCount: "counts are 1-10,000,000/µL"
            case .nucleatedCells: "a count is 1 or more"
            case .aspirateVolume: "aspirates are more than 0 and at most 500 mL"
            case .injectateKind: "write prolotherapy, prp, bmc or other"
            case .time: "times are 0 s or more from the session start"
            case .sourceFrame: "frames are numbered from 0"
            case .byteSize: "a still file has at least 1 byte"
            case .width: "images are 1-65535 px wide"
            case .height: "images are 1-65535 px high"
            case .contentHash: "write the 64 hexadecimal digits of a SHA-256 digest"
            case .digestLength: "a SHA-256 digest is 32 bytes"
            case .millimetresPerPixel: "the scale is more than 0 and at most 10 mm/px"
            case .coordinate: "points are finite pixel positions"
            case .revision: "revisions are numbered from 1"
            case .archivePath: "write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"
            case .part: "a session that continues another is part 2 or later of the procedure"
            case .addendumReason: "say why in at most \(Addendum.maximumReasonLength) characters"
            case .accessionNumber, .requestedProcedureID, .scheduledStepID: "the RIS's identifiers are at most 16 printable characters without \\"
            case .procedureDescription: "at most 64 printable characters without \\"
            case .studyInstanceUID: "a UID is at most 64 digits and dots, such as 1.2.840.113619.2.1, with no leading zero in a part"
            }
        }
    }
}
