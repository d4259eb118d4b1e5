import Foundation
import Records

extension SQLiteArchive {
    /// Marks every session still `recording` as `interrupted`: run at start-up, when no
    /// capture of this archive is running, after a crash or power cut left them so.
    /// Their recordings stay; they play up to the last complete fragment.
    @discardableResult
    public func markInterruptedSessions(at date: Date = Date()) async throws -> [ProcedureSession] {
        var marked: [ProcedureSession] = []
        for var session in try await sessionsStillRecording() {
            try session.transition(to: .interrupted, reason: "NeedleLog stopped while recording (crash or power loss)", at: max(date, session.startedAt))
            try await update(session)
            marked.append(session)
        }
        return marked
    }
}
