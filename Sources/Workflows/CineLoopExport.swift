import Archive
import DICOMExport
import Foundation
import Media
import Records

extension StillExport {
    /// The recording around a still as a DICOM cine loop (issue 15): `before` seconds before
    /// it to `after` seconds after, clipped to the recording. Audited as an export.
    /// - Throws: ``WorkflowError`` `.notFound` for an unknown still, or a session with no
    ///   recording; Media's and DICOMExport's errors for a recording that does not read.
    public func writeCineLoop(around still: UUID, before: Double, after: Double, to folder: URL,
                              by actor: String) async throws -> (url: URL, sopInstanceUID: String, facts: CineLoop.Facts) {
        guard before >= 0, after >= 0, before + after > 0, before + after <= 120 else {
            throw WorkflowError(.invalid, "a cine loop lasts more than 0 and at most 120 s: give --before and --after in seconds (e.g. 5 and 5)")
        }
        guard let found = try await archive.still(still) else {
            throw WorkflowError(.notFound, "no still \(still.uuidString.lowercased()) in the archive: `needlelog search` lists them")
        }
        guard let session = try await archive.session(found.sessionID), let recording = session.recording else {
            throw WorkflowError(.notFound, "the session of still \(still.uuidString.lowercased().prefix(8)) has no recording to cut a loop from (an import keeps only its stills)")
        }
        let records = try await records(.session(found.sessionID))
        guard let record = records.first(where: { $0.still.id == still }) else {
            throw WorkflowError(.notFound, "still \(still.uuidString.lowercased()) is not among its session's stills")
        }
        let file = archive.location.root.appendingPathComponent(recording.value)
        let written = try CineLoopImage.write(around: record, recording: file, start: max(0, found.time - before), end: found.time + after, to: folder)
        try await archive.audit(AuditEvent(actor: actor, action: .export, target: "session:\(session.id.uuidString.lowercased())",
                                           patientID: session.patientID.value,
                                           detail: "dicom cine loop around still \(still.uuidString.lowercased().prefix(8)), \(written.facts.frames) frames"))
        return written
    }
}
