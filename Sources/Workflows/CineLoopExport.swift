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
        guard before >= 0, after >= 0, before + after > 0, before + after <= CineLoop.longest else {
            throw WorkflowError(.invalid, "a cine loop lasts more than 0 and at most \(Int(CineLoop.longest)) s: give --before and --after in seconds (e.g. 5 and 5)")
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

    /// A session's whole recording, or seconds `start` to `end` of it, as a DICOM cine loop
    /// (at most ``CineLoop/longest`` seconds). The loop takes its patient, study, order and
    /// calibration from the session's stills, and its anatomy (and so its series) from the
    /// still of the session's most-tagged site. Audited as an export.
    /// - Throws: ``WorkflowError`` `.notFound` for an unknown session or one without a
    ///   recording, `.invalid` for one without stills, a stretch outside the recording or
    ///   longer than a loop holds.
    public func writeCineLoop(session id: UUID, start: Double?, end: Double?, to folder: URL,
                              by actor: String) async throws -> (url: URL, sopInstanceUID: String, facts: CineLoop.Facts) {
        guard let session = try await archive.session(id), let recording = session.recording else {
            throw WorkflowError(.notFound, "session \(id.uuidString.lowercased().prefix(8)) has no recording to make a loop of (an import keeps only its stills)")
        }
        let records = try await records(.session(id))
        // The site tagged on most stills (the first such still), else the first still.
        let counts = Dictionary(grouping: records) { $0.still.tag?.description ?? "" }
        let site = counts.filter { !$0.key.isEmpty }.max { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }?.key
        guard let record = records.first(where: { site == nil || $0.still.tag?.description == site }) else {
            throw WorkflowError(.invalid, "session \(id.uuidString.lowercased().prefix(8)) has no stills: a loop takes its study, anatomy and calibration from them; snap one first")
        }
        let file = archive.location.root.appendingPathComponent(recording.value)
        let from = start ?? 0
        let to: Double
        if let end {
            to = end
        } else {
            guard let duration = try MediaSource(.file(file.path)).video.duration else {
                throw WorkflowError(.invalid, "the recording of session \(id.uuidString.lowercased().prefix(8)) does not say how long it is: give --end in seconds")
            }
            to = duration
        }
        guard from >= 0, to > from else {
            throw WorkflowError(.invalid, "a loop runs from --start to a later --end, in seconds from the recording's start (asked \(from)-\(to) s)")
        }
        guard to - from <= CineLoop.longest else {
            throw WorkflowError(.invalid, String(format: "the recording runs %.0f s from %.0f s, longer than a cine loop holds (%.0f s): give --start and --end, or --around a still", to - from, from, CineLoop.longest))
        }
        let written = try CineLoopImage.write(around: record, recording: file, start: from, end: to, to: folder)
        try await archive.audit(AuditEvent(actor: actor, action: .export, target: "session:\(session.id.uuidString.lowercased())",
                                           patientID: session.patientID.value,
                                           detail: String(format: "dicom cine loop of the recording %.1f-%.1f s, %d frames", from, to, written.facts.frames)))
        return written
    }
}
