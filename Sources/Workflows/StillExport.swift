import Archive
import DICOMExport
import Foundation
import Media
import Records

/// Stills leaving the archive: as DICOM or PNG files into a folder (a whole session, or
/// what a search finds), and as a picture with the needle drawn in. Each export of files
/// goes into the audit trail, one event per session, whoever asked (the command line, a page).
public struct StillExport: Sendable {
    /// Which stills.
    public enum Selection: Sendable {
        /// Every still of the session.
        case session(UUID)
        /// What the search finds.
        case search(StillSearch)
    }

    /// The files' kind.
    public enum Format: String, Sendable {
        case dicom, png
    }

    public let archive: any ArchiveStore

    public init(archive: any ArchiveStore) {
        self.archive = archive
    }

    /// The records to export, each still with its current needle.
    /// - Parameter millimetresPerPixel: the image scale for stills whose session and needle give none.
    /// - Throws: ``WorkflowError/Kind/notFound`` when a search finds no still.
    public func records(_ selection: Selection, millimetresPerPixel: Double? = nil) async throws -> [StillRecord] {
        let store = archive
        let exporter = DICOMExporter(archive: store, millimetresPerPixel: millimetresPerPixel) { id in
            try await store.annotationHistory(ofStill: id).current
        }
        switch selection {
        case .session(let id):
            return try await exporter.records(ofSession: id)
        case .search(let search):
            let results = try await store.search(search)
            guard !results.isEmpty else { throw WorkflowError(.notFound, "no stills match the search, so nothing was written") }
            return try await exporter.records(of: results.map(\.still))
        }
    }

    /// Writes `records` into `folder` (each file whole or not at all) and records the export
    /// in the audit trail as done by `actor`.
    public func write(_ records: [StillRecord], as format: Format, with writer: ExportWriter, to folder: URL,
                      by actor: String) async throws -> [ExportedFile] {
        let files = switch format {
        case .dicom: try writer.writeDICOM(records, to: folder)
        case .png: try writer.writePNG(records, to: folder)
        }
        try await audit(records, format: format, deidentified: writer.deidentifier != nil, files: files.count, by: actor)
        return files
    }

    /// The still's picture with a needle drawn in: revision `number`, else the current one;
    /// encoded on ``WorkerPool/pictures``, off the server's threads.
    /// - Throws: ``WorkflowError`` `.notFound` for a revision the still does not have or
    ///   no needle drawn yet, `.unusable` for a stored needle that no longer fits the still.
    public func annotatedPNG(of still: Still, revision number: Int? = nil,
                             pool: WorkerPool = .pictures) async throws -> (png: Data, revision: Int) {
        let id = still.id.uuidString.lowercased()
        let history = try await archive.annotationHistory(ofStill: still.id)
        let annotation: NeedleAnnotation
        if let number {
            guard let found = history.revision(number) else {
                throw WorkflowError(.notFound, "still \(id) has no revision \(number): it has \(history.revisions.count)")
            }
            annotation = found
        } else {
            guard let current = history.current else {
                throw WorkflowError(.notFound, "still \(id) has no needle drawn: draw one on the still page first")
            }
            annotation = current
        }
        do {
            try annotation.geometry.requireInside(width: still.width, height: still.height)
        } catch {
            throw WorkflowError(.unusable, "revision \(annotation.revision) of still \(id) cannot be drawn: \(error); draw the needle again on the still page")
        }
        let stored = try archive.png(of: still)
        let geometry = annotation.geometry
        let png = try await pool.run {
            let decoded = try PNG.decode(stored)
            return try PNG.encode(NeedleOverlay.draw(geometry, on: decoded.image), options: .fast)
        }
        return (png, annotation.revision)
    }

    /// One event per session exported, naming the format and the file count.
    private func audit(_ records: [StillRecord], format: Format, deidentified: Bool, files: Int, by actor: String) async throws {
        var bySession: [UUID: (patient: String, stills: Int)] = [:]
        for record in records {
            bySession[record.session.id, default: (record.patient.id.value, 0)].stills += 1
        }
        for (session, entry) in bySession.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await archive.audit(AuditEvent(actor: actor, action: .export, target: "session:\(session.uuidString.lowercased())",
                                               patientID: entry.patient,
                                               detail: "\(format.rawValue)\(deidentified ? " de-identified" : ""), \(entry.stills) still(s), \(files) file(s) in all"))
        }
    }
}
