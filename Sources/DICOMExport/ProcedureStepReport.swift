import Anatomy
import Foundation
import Records

/// The attributes of a Modality Performed Procedure Step (PS3.4 F.7.2, PS3.3 C.4.13-C.4.17):
/// what NeedleLog tells the RIS when a session starts (N-CREATE, IN PROGRESS) and when it
/// ends (N-SET, COMPLETED or DISCONTINUED, with the series and images it produced).
///
/// One step per session (a continuation part is a step of its own), under a UID derived
/// from the session, so a re-sent message names the same step.
public enum ProcedureStepReport {
    /// Modality Performed Procedure Step SOP Class.
    public static let sopClass = "1.2.840.10008.3.1.2.3.3"

    public static func instanceUID(_ session: UUID, uids: UIDScheme = .archive) -> String {
        uids.uid("mpps", session.uuidString.lowercased())
    }

    /// The N-CREATE's attributes: the step in progress, with the patient and the order it
    /// carries out (PS3.4 table F.7.2-1 lists each; type 2 ones go in empty when unknown).
    public static func inProgress(session: ProcedureSession, patient: Patient, order: ScheduledOrder?,
                                  stationTitle: String, uids: UIDScheme = .archive, timeZone: TimeZone = .current) -> DataSet {
        var set = DataSet()
        set.set(.specificCharacterSet, .CS, "ISO_IR 192")
        // Scheduled Step Attributes (C.4.14): the worklist step carried out, or one item with
        // only the study for an unscheduled session (PS3.4 F.7.2.1.1).
        var step = DataSet()
        let ordered = order?.studyInstanceUID ?? ""
        step.set(.studyInstanceUID, .UI, ordered.isEmpty ? uids.study(session.id) : ordered)
        step.set(.referencedStudySequence, items: [])
        step.set(.accessionNumber, .SH, order?.accessionNumber ?? "")
        step.set(.requestedProcedureID, .SH, order?.requestedProcedureID ?? "")
        step.set(.requestedProcedureDescription, .LO, DICOMText.value(order?.requestedProcedureDescription ?? "", .LO))
        step.set(.scheduledProcedureStepID, .SH, order?.scheduledStepID ?? "")
        step.set(.scheduledProcedureStepDescription, .LO, DICOMText.value(order?.scheduledStepDescription ?? "", .LO))
        step.set(.scheduledProtocolCodeSequence, items: [])
        set.set(.scheduledStepAttributesSequence, items: [step])
        // Patient (C.4.13's relationship module).
        set.set(.patientName, .PN, DICOMText.value(patient.dicomName, .PN))
        set.set(.patientID, .LO, patient.id.value)
        set.set(.patientBirthDate, .DA, patient.birthDate.dicomDate)
        set.set(.patientSex, .CS, patient.sex.dicomCode)
        set.set(.referencedPatientSequence, items: [])
        // Performed Procedure Step Information (C.4.15).
        set.set(.performedProcedureStepID, .SH, String(session.id.uuidString.lowercased().prefix(16)))
        set.set(.performedStationAETitle, .AE, stationTitle)
        set.set(.performedStationName, .SH, DICOMText.value(stationTitle, .SH))
        set.set(.performedLocation, .SH)
        set.set(.performedProcedureStepStartDate, .DA, DICOMText.date(session.startedAt, in: timeZone))
        set.set(.performedProcedureStepStartTime, .TM, DICOMText.time(session.startedAt, in: timeZone))
        set.set(.performedProcedureStepStatus, .CS, "IN PROGRESS")
        set.set(.performedProcedureStepDescription, .LO, DICOMText.value(description(session), .LO))
        set.set(.performedProcedureTypeDescription, .LO)
        set.set(.procedureCodeSequence, items: [])
        set.set(.performedProcedureStepEndDate, .DA)
        set.set(.performedProcedureStepEndTime, .TM)
        // Image Acquisition Results (C.4.17): nothing produced yet.
        set.set(.modality, .CS, "US")
        set.set(.studyID, .SH, String(session.id.uuidString.prefix(8)))
        set.set(.performedProtocolCodeSequence, items: [])
        set.set(.performedSeriesSequence, items: [])
        return set
    }

    /// The final N-SET's attributes for an ended session: COMPLETED when it completed,
    /// DISCONTINUED (with a reason from CID 9300) when it failed or was interrupted, and the
    /// image series of its stills with every image (UIDs as the exports give them).
    /// - Parameters:
    ///   - physician, tech: the session's staff as people (from their accounts), as the
    ///     exports name them; nil writes the name the session recorded.
    /// - Returns: nil while the session is still recording.
    public static func ended(session: ProcedureSession, stills: [Still], physician: PersonName? = nil, tech: PersonName? = nil,
                             uids: UIDScheme = .archive, timeZone: TimeZone = .current) -> DataSet? {
        let state: String
        let reason: (code: String, meaning: String)?
        switch session.status {
        case .recording: return nil
        case .completed: (state, reason) = ("COMPLETED", nil)
        case .failed: (state, reason) = ("DISCONTINUED", ("110501", "Equipment failure"))
        case .interrupted: (state, reason) = ("DISCONTINUED", ("110513", "Discontinued for unspecified reason"))
        }
        var set = DataSet()
        set.set(.specificCharacterSet, .CS, "ISO_IR 192")
        set.set(.performedProcedureStepStatus, .CS, state)
        let end = session.endedAt ?? session.startedAt
        set.set(.performedProcedureStepEndDate, .DA, DICOMText.date(end, in: timeZone))
        set.set(.performedProcedureStepEndTime, .TM, DICOMText.time(end, in: timeZone))
        if let reason {
            var code = DataSet()
            code.set(.codeValue, .SH, reason.code)
            code.set(.codingSchemeDesignator, .SH, "DCM")
            code.set(.codeMeaning, .LO, reason.meaning)
            set.set(.discontinuationReasonCodeSequence, items: [code])
        }
        set.set(.performedSeriesSequence, items: series(session, stills: stills, physician: physician, tech: tech, uids: uids))
        return set
    }

    /// One Performed Series item per image series of the stills (one per Body Part
    /// Examined, as the exports make them), in the exports' series order.
    static func series(_ session: ProcedureSession, stills: [Still], physician: PersonName?, tech: PersonName?, uids: UIDScheme) -> [DataSet] {
        let byPart = Dictionary(grouping: stills) { $0.tag?.site.bodyPartExamined }
        let parts = byPart.keys.sorted { seriesNumber($0) < seriesNumber($1) }
        return parts.map { part in
            var item = DataSet()
            personName(&item, .performingPhysicianName, physician, recorded: session.physician)
            item.set(.protocolName, .LO, "US-guided spine injection")
            personName(&item, .operatorsName, tech, recorded: session.tech)
            item.set(.seriesInstanceUID, .UI, uids.imageSeries(session.id, bodyPart: part?.definedTerm))
            item.set(.seriesDescription, .LO, "NeedleLog stills " + (part?.definedTerm ?? "untagged"))
            item.set(.retrieveAETitle, .AE)
            item.set(.referencedImageSequence, items: (byPart[part] ?? []).sorted { $0.time < $1.time }.map { still in
                var image = DataSet()
                image.set(.referencedSOPClassUID, .UI, DICOMUID.ultrasoundImageStorage)
                image.set(.referencedSOPInstanceUID, .UI, uids.image(still.id, tag: still.tag?.description))
                return image
            })
            item.set(.referencedNonImageCompositeSOPInstanceSequence, items: [])
            return item
        }
    }

    private static func seriesNumber(_ part: BodyPartExamined?) -> Int {
        part.flatMap { BodyPartExamined.allCases.firstIndex(of: $0) } ?? BodyPartExamined.allCases.count
    }

    /// The person from the account, else the name the session recorded, else empty (type 2).
    private static func personName(_ set: inout DataSet, _ tag: DICOMTag, _ person: PersonName?, recorded: String) {
        if let person {
            set.set(tag, .PN, DICOMText.personName(person))
        } else if !recorded.isEmpty {
            set.set(tag, .PN, DICOMText.personName(recorded))
        } else {
            set.set(tag, .PN)
        }
    }

    private static func description(_ session: ProcedureSession) -> String {
        "US-guided spine injection, treatment \(session.treatment.number) of \(session.treatment.planned)"
            + (session.part > 1 ? ", part \(session.part)" : "")
    }
}
