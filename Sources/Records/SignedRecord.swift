import Foundation

/// What a physician's signature covers: the record (indication, notes, complications, pain
/// scores, injections, the image scale) and every still as it was at signing (its image's
/// hash, its tag and the needle drawn on it). The archive stores it as signed and its
/// SHA-256 goes into the audit trail, so the signed version can always be shown, and a
/// signed version altered afterwards shows itself.
public struct SignedRecord: Codable, Hashable, Sendable {
    public let sessionID: UUID
    public let patientID: PatientID
    public let physician: String
    public let tech: String
    public let indication: String
    public let notes: String
    public let complications: [String]
    public let painScores: PainScores
    public let injections: [InjectionSite]
    public let millimetresPerPixel: Double?
    public let stills: [StillEntry]

    /// A still as signed.
    public struct StillEntry: Codable, Hashable, Sendable {
        public let id: UUID
        public let time: Double
        /// The image file's SHA-256: the picture signed is the picture stored.
        public let fileHash: ContentHash
        public let tag: SiteTag?
        /// The still's tag revision at signing (1 when never corrected).
        public let tagRevision: Int
        /// The newest needle drawing at signing, if any.
        public let needle: NeedleAnnotation?

        public init(id: UUID, time: Double, fileHash: ContentHash, tag: SiteTag?, tagRevision: Int, needle: NeedleAnnotation?) {
            self.id = id
            self.time = time
            self.fileHash = fileHash
            self.tag = tag
            self.tagRevision = tagRevision
            self.needle = needle
        }
    }

    public init(session: ProcedureSession, millimetresPerPixel: Double?, stills: [StillEntry]) {
        sessionID = session.id
        patientID = session.patientID
        physician = session.physician
        tech = session.tech
        indication = session.indication
        notes = session.notes
        complications = session.complications
        painScores = session.painScores
        injections = session.injections
        self.millimetresPerPixel = millimetresPerPixel
        self.stills = stills.sorted { ($0.time, $0.id.uuidString) < ($1.time, $1.id.uuidString) }
    }

    /// `session` with the signed values in place of its current ones: the record as the
    /// physician signed it, whatever addenda changed since.
    public func applied(to session: ProcedureSession) -> ProcedureSession {
        var signed = session
        signed.indication = indication
        signed.notes = notes
        signed.complications = complications
        signed.painScores = painScores
        signed.injections = injections
        return signed
    }
}

/// The physician's signature on a record.
public struct Signature: Codable, Hashable, Sendable {
    public let signedBy: String
    public let signedAt: Date
    /// The SHA-256 of the signed record as stored, the value the audit trail carries.
    public let contentHash: ContentHash
    public let record: SignedRecord

    public init(signedBy: String, signedAt: Date, contentHash: ContentHash, record: SignedRecord) {
        self.signedBy = signedBy
        self.signedAt = signedAt
        self.contentHash = contentHash
        self.record = record
    }
}
