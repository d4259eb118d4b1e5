import Archive
import Foundation
import Records

/// What a recorder does first, before it records: the sessions a crash or power cut left
/// `recording` are marked interrupted (and then offered to the tech to continue). The one
/// place the daemon and `needlelog record` do it.
public enum SessionRecovery {
    /// Marks the sessions left recording as interrupted; tells `log` one line for each.
    @discardableResult
    public static func markInterrupted(in archive: any ArchiveStore, log: (String) -> Void) async throws -> [ProcedureSession] {
        let marked = try await archive.markInterruptedSessions()
        for session in marked {
            log("session \(session.id.uuidString.lowercased().prefix(8)) had been left recording; marked interrupted")
        }
        return marked
    }
}
