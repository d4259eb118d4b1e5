import Anatomy
import Foundation

/// One treatment of one patient: who did it, what was injected where, how the
/// pain went, and the recording made while doing it.
///
/// The status moves only through ``transition(to:reason:at:)``, which refuses
/// impossible changes; everything the physician edits after the procedure
/// (notes, injections, pain scores) is a plain property holding values that
/// validated themselves.
public struct ProcedureSession: Identifiable, Hashable, Sendable {
    public let id: UUID
    public let patientID: PatientID
    public let startedAt: Date
    /// When the session ended; `nil` while recording, and possibly for an
    /// interrupted session whose end could not be told.
    public private(set) var endedAt: Date?
    /// The physician's user name.
    public var physician: String
    /// The tech's user name.
    public var tech: String
    /// The region treated, when the session keeps to one.
    public var region: SpinalRegion?
    /// Why the patient is treated, in the physician's words.
    public var indication: String
    public private(set) var status: Status
    /// Why the session ended as it did, such as `disk full`.
    public private(set) var statusReason: String?
    public var treatment: TreatmentNumber
    public var painScores: PainScores
    /// Adverse events, one per entry (`vasovagal episode`).
    public var complications: [String]
    public var notes: String
    public var injections: [InjectionSite]
    /// The recording, relative to the archive; `nil` before capture writes one.
    public var recording: ArchivePath?
    /// The session this one takes up after it was cut short (a crash, a restart, a lost
    /// source), as the next part of the same procedure; `nil` for a procedure's first part.
    public let continuation: Continuation?

    /// The part of the procedure this session records: 1, or the continued session's part + 1.
    public var part: Int { continuation?.part ?? 1 }

    /// A session as capture starts it, or as the archive reads it back.
    ///
    /// - Throws: ``RecordError`` when `endedAt` is before `startedAt`, or is given
    ///   for a session that is still recording.
    public init(
        id: UUID = UUID(), patientID: PatientID, startedAt: Date, endedAt: Date? = nil,
        physician: String, tech: String, region: SpinalRegion? = nil, indication: String = "",
        status: Status = .recording, statusReason: String? = nil,
        treatment: TreatmentNumber, painScores: PainScores = .unrecorded,
        complications: [String] = [], notes: String = "", injections: [InjectionSite] = [],
        recording: ArchivePath? = nil, continuation: Continuation? = nil
    ) throws(RecordError) {
        if let continuation, continuation.part < 2 { throw .outOfRange(.part, value: "\(continuation.part)") }
        if let endedAt {
            guard status.isFinal else { throw .endWhileRecording }
            guard endedAt >= startedAt else { throw .sessionEndsBeforeStart(start: startedAt, end: endedAt) }
        }
        self.id = id
        self.patientID = patientID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.physician = physician
        self.tech = tech
        self.region = region
        self.indication = indication
        self.status = status
        self.statusReason = Self.reasonText(statusReason)
        self.treatment = treatment
        self.painScores = painScores
        self.complications = complications
        self.notes = notes
        self.injections = injections
        self.recording = recording
        self.continuation = continuation
    }

    /// Ends the session: moves it from ``Status-swift.enum/recording`` to a final
    /// state and records when.
    ///
    /// - Parameters:
    ///   - status: ``Status-swift.enum/completed``, ``Status-swift.enum/interrupted`` or ``Status-swift.enum/failed``.
    ///   - reason: why, for the people reading the archive (`disk full`); empty text counts as none.
    ///   - date: when the session ended, which becomes ``endedAt``; not before ``startedAt``.
    /// - Throws: ``RecordError/impossibleTransition(from:to:)`` for any other change
    ///   (`a completed session cannot become recording: completed is final; ...`),
    ///   or ``RecordError/sessionEndsBeforeStart(start:end:)``. The session is unchanged when it throws.
    public mutating func transition(to status: Status, reason: String? = nil, at date: Date) throws(RecordError) {
        guard self.status.canBecome(status) else { throw .impossibleTransition(from: self.status, to: status) }
        guard date >= startedAt else { throw .sessionEndsBeforeStart(start: startedAt, end: date) }
        self.status = status
        self.statusReason = Self.reasonText(reason)
        self.endedAt = date
    }

    /// The kinds of injectate given, for the archive's `--injectate` filter.
    public var injectateKinds: Set<Injectate.Kind> { Set(injections.map(\.injectate.kind)) }

    /// How long the session lasted, once it has ended.
    public var duration: TimeInterval? { endedAt.map { $0.timeIntervalSince(startedAt) } }
}

extension ProcedureSession: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, patientID, startedAt, endedAt, physician, tech, region, indication, status, statusReason
        case treatment, painScores, complications, notes, injections, recording, continuation
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(UUID.self, forKey: .id)
        let patientID = try container.decode(PatientID.self, forKey: .patientID)
        let startedAt = try container.decode(Date.self, forKey: .startedAt)
        let endedAt = try container.decodeIfPresent(Date.self, forKey: .endedAt)
        let physician = try container.decode(String.self, forKey: .physician)
        let tech = try container.decode(String.self, forKey: .tech)
        let region = try container.decodeIfPresent(SpinalRegion.self, forKey: .region)
        let indication = try container.decodeIfPresent(String.self, forKey: .indication) ?? ""
        let status = try container.decode(Status.self, forKey: .status)
        let statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        let treatment = try container.decode(TreatmentNumber.self, forKey: .treatment)
        let painScores = try container.decodeIfPresent(PainScores.self, forKey: .painScores) ?? .unrecorded
        let complications = try container.decodeIfPresent([String].self, forKey: .complications) ?? []
        let notes = try container.decodeIfPresent(String.self, forKey: .notes) ?? ""
        let injections = try container.decodeIfPresent([InjectionSite].self, forKey: .injections) ?? []
        let recording = try container.decodeIfPresent(ArchivePath.self, forKey: .recording)
        let continuation = try container.decodeIfPresent(Continuation.self, forKey: .continuation)
        self = try validated(decoder) { () throws(RecordError) in
            try ProcedureSession(
                id: id, patientID: patientID, startedAt: startedAt, endedAt: endedAt,
                physician: physician, tech: tech, region: region, indication: indication,
                status: status, statusReason: statusReason, treatment: treatment, painScores: painScores,
                complications: complications, notes: notes, injections: injections, recording: recording,
                continuation: continuation)
        }
    }
}
