import Foundation

extension ProcedureSession {
    /// A session that takes up a procedure another session began: which one, and which
    /// part of the procedure this is. Each part keeps its own recording and stills (a still's
    /// time is in its part's recording); the parts, in order, are the whole procedure.
    public struct Continuation: Codable, Hashable, Sendable {
        /// The part before this one.
        public let previous: UUID
        /// 2 for the part after the first, and so on.
        public let part: Int

        public init(previous: UUID, part: Int) {
            self.previous = previous
            self.part = part
        }
    }

    /// Sessions that ended this way can be continued: the procedure was cut short.
    public var canBeContinued: Bool { status == .interrupted || status == .failed }

    /// The next part of this procedure, starting now: the same patient, treatment,
    /// physician, region and indication; a new recording, nothing injected yet.
    ///
    /// - Throws: ``RecordError/notContinuable(_:)`` when this session did not end cut
    ///   short (it is still recording, or it completed), and
    ///   ``RecordError/sessionEndsBeforeStart(start:end:)`` when `date` is before its start.
    public func continued(at date: Date, tech: String, id: UUID = UUID()) throws(RecordError) -> ProcedureSession {
        guard canBeContinued else { throw .notContinuable(status) }
        guard date >= startedAt else { throw .sessionEndsBeforeStart(start: startedAt, end: date) }
        return try ProcedureSession(
            id: id, patientID: patientID, startedAt: date, physician: physician, tech: tech, region: region,
            indication: indication, treatment: treatment, continuation: Continuation(previous: self.id, part: part + 1))
    }
}
