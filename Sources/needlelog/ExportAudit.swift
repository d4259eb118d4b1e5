import Archive
import DICOMExport
import Foundation

/// Exports from the command line go into the audit trail as the pages' exports do:
/// one event per session exported, naming the OS user, the format and the file count.
enum ExportAudit {
    static func record(_ records: [StillRecord], format: String, deidentified: Bool, files: Int, in store: any ArchiveStore) async throws {
        var bySession: [UUID: (patient: String, stills: Int)] = [:]
        for record in records {
            bySession[record.session.id, default: (record.patient.id.value, 0)].stills += 1
        }
        for (session, entry) in bySession.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await store.audit(AuditEvent(actor: UsersCommand.actor, action: .export, target: "session:\(session.uuidString.lowercased())",
                                             patientID: entry.patient,
                                             detail: "\(format)\(deidentified ? " de-identified" : ""), \(entry.stills) still(s), \(files) file(s) in all"))
        }
    }
}
