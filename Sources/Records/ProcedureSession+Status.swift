import Foundation

extension ProcedureSession {
    /// Where a session's recording stands.
    ///
    /// A session starts ``recording`` and ends exactly once, in one of the three
    /// final states; nothing leaves a final state, so a stopped session is never
    /// reopened and its recording never appended to. Codable as the raw value.
    public enum Status: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// Capture is running.
        case recording
        /// Stopped by the tech; the recording is whole.
        case completed
        /// Cut off by a crash or power loss and found so on restart; the recording
        /// holds everything up to its last completed fragment.
        case interrupted
        /// Stopped by an error, such as a full disk; ``ProcedureSession/statusReason`` says which.
        case failed

        /// Whether the session has ended.
        public var isFinal: Bool { self != .recording }

        /// Whether a session in this state may move to `next`: only from
        /// ``recording`` to a final state.
        public func canBecome(_ next: Status) -> Bool {
            self == .recording && next.isFinal
        }

        public var description: String { rawValue }
    }

    /// Trimmed reason text, `nil` when empty.
    static func reasonText(_ reason: String?) -> String? {
        guard let text = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
