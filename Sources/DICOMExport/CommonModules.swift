import Foundation
import Records

/// The modules every object of a session shares: Patient, General Study, General
/// Equipment and the SOP Common character set. Images and presentation states both
/// start from these, so their patient and study attributes cannot disagree.
enum CommonModules {
    static func patientAndStudy(_ record: StillRecord, uids: UIDScheme, timeZone: TimeZone) -> DataSet {
        var set = DataSet()
        // UTF-8 (PS3.3 C.12.1.1.2), since names and notes may hold any character.
        set.set(.specificCharacterSet, .CS, "ISO_IR 192")
        let patient = record.patient
        // Patient Module (PS3.3 C.7.1.1).
        set.set(.patientName, .PN, DICOMText.value(patient.dicomName, .PN))
        set.set(.patientID, .LO, patient.id.value)
        set.set(.patientBirthDate, .DA, patient.birthDate.dicomDate)
        let sex = patient.sex.dicomCode
        if sex.isEmpty { set.set(.patientSex, .CS) } else { set.set(.patientSex, .CS, sex) }
        // General Study Module (C.7.2.1): one study per procedure session.
        let session = record.session
        // The RIS's study when the session came from the worklist, so the PACS files the
        // images under its order; NeedleLog's own otherwise.
        let ordered = record.order?.studyInstanceUID ?? ""
        set.set(.studyInstanceUID, .UI, ordered.isEmpty ? uids.study(session.id) : ordered)
        set.set(.studyDate, .DA, DICOMText.date(session.startedAt, in: timeZone))
        set.set(.studyTime, .TM, DICOMText.time(session.startedAt, in: timeZone))
        set.set(.timezoneOffsetFromUTC, .SH, DICOMText.utcOffset(session.startedAt, in: timeZone))
        set.set(.referringPhysicianName, .PN)
        set.set(.studyID, .SH, String(session.id.uuidString.prefix(8)))
        if let accession = record.order?.accessionNumber, !accession.isEmpty {
            set.set(.accessionNumber, .SH, accession)
        } else {
            set.set(.accessionNumber, .SH)
        }
        let treatment = session.treatment
        set.set(.studyDescription, .LO, DICOMText.value(
            "US-guided spine injection, treatment \(treatment.number) of \(treatment.planned)", .LO))
        // General Equipment Module (C.7.5.1): the scanner's maker is not known to NeedleLog
        // (Type 2, so empty); the software that made the object is.
        set.set(.manufacturer, .LO)
        set.set(.softwareVersions, .LO, "NeedleLog")
        return set
    }

    /// General Series attributes shared by the image and presentation series.
    static func series(_ set: inout DataSet, _ record: StillRecord, uid: String, number: Int, modality: String,
                       description: String, timeZone: TimeZone) {
        set.set(.modality, .CS, modality)
        set.set(.seriesInstanceUID, .UI, uid)
        set.set(.seriesNumber, .IS, String(number))
        set.set(.seriesDate, .DA, DICOMText.date(record.session.startedAt, in: timeZone))
        set.set(.seriesTime, .TM, DICOMText.time(record.session.startedAt, in: timeZone))
        set.set(.seriesDescription, .LO, description)
        if let order = record.order {
            // Request Attributes Sequence (C.7.3.1): which requested procedure and step
            // this series answers.
            var request = DataSet()
            if !order.requestedProcedureID.isEmpty { request.set(.requestedProcedureID, .SH, order.requestedProcedureID) }
            if !order.accessionNumber.isEmpty { request.set(.accessionNumber, .SH, order.accessionNumber) }
            if !order.studyInstanceUID.isEmpty { request.set(.studyInstanceUID, .UI, order.studyInstanceUID) }
            if !order.requestedProcedureDescription.isEmpty { request.set(.requestedProcedureDescription, .LO, order.requestedProcedureDescription) }
            if !order.scheduledStepID.isEmpty { request.set(.scheduledProcedureStepID, .SH, order.scheduledStepID) }
            if !order.scheduledStepDescription.isEmpty { request.set(.scheduledProcedureStepDescription, .LO, order.scheduledStepDescription) }
            set.set(.requestAttributesSequence, items: [request])
        }
        if let person = record.physician {
            set.set(.performingPhysicianName, .PN, DICOMText.personName(person))
        } else if !record.session.physician.isEmpty {
            set.set(.performingPhysicianName, .PN, DICOMText.personName(record.session.physician))
        }
        if let person = record.tech {
            set.set(.operatorsName, .PN, DICOMText.personName(person))
        } else if !record.session.tech.isEmpty {
            set.set(.operatorsName, .PN, DICOMText.personName(record.session.tech))
        }
    }
}
