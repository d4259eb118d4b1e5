import Foundation
import Records

extension SQLiteArchive {
    @discardableResult
    public func markInterruptedSessions(at date: Date = Date()) async throws -> [ProcedureSession] {
        try await markInterruptedByRecording(at: date)
    }
}

extension ArchiveStore {
    /// Marks every session still `recording` as `interrupted`: run at start-up, when no
    /// capture of this archive is running, after a crash or power cut left them so.
    /// Their recordings stay; they play up to the last complete fragment.
    ///
    /// The end recorded is when the recording was last written (the crash, near enough),
    /// not `date`: a session cut short at 10:05 and found at 14:00 did not last four hours.
    /// Every store's `markInterruptedSessions(at:)` is this.
    func markInterruptedByRecording(at date: Date) async throws -> [ProcedureSession] {
        var marked: [ProcedureSession] = []
        for session in try await sessionsStillRecording() {
            let written = session.recording.flatMap { recording in
                try? FileManager.default.attributesOfItem(atPath: location.root.appendingPathComponent(recording.value).path)[.modificationDate] as? Date
            }
            let end = min(max(written ?? date, session.startedAt), max(date, session.startedAt))
            // Only what the recorder owns changes: an edit made while it recorded is kept.
            marked.append(try await endSession(session.id, as: .interrupted, reason: "NeedleLog stopped while recording (crash or power loss)", at: end))
        }
        return marked
    }
}
