import Anatomy
import Archive
import Foundation
import Hummingbird
import Records

/// A patient as the review pages show one.
struct PatientView: Codable, Sendable {
    var id: String
    var name: String
    var birthDate: String
    var sex: String

    init(_ patient: Patient) {
        id = patient.id.value
        name = "\(patient.familyName), \(patient.givenName)"
        birthDate = patient.birthDate.description
        sex = patient.sex.rawValue
    }
}

/// A still in a list: enough for a thumbnail with its caption.
struct StillView: Codable, Sendable {
    var id: String
    var session: String
    var patient: String?
    var takenAt: Date?
    var time: Double
    var site: String?
    var structure: String?
    var structureName: String?
    var reason: String
    var width: Int
    var height: Int
    var image: String
    var annotated: Bool?

    init(_ still: Still, patient: String? = nil, takenAt: Date? = nil, annotated: Bool? = nil) {
        id = still.id.uuidString.lowercased()
        session = still.sessionID.uuidString.lowercased()
        self.patient = patient
        self.takenAt = takenAt
        time = still.time
        site = still.tag?.site.description
        structure = still.tag?.structure?.rawValue
        structureName = still.tag?.structure.flatMap { TargetStructure(id: $0)?.displayName }
        reason = still.reason.rawValue
        width = still.width
        height = still.height
        image = "/api/stills/\(id).png"
        self.annotated = annotated
    }
}

/// A session in the list.
struct SessionRow: ResponseCodable, Sendable {
    var id: String
    var patient: String
    var patientName: String?
    var startedAt: Date
    var endedAt: Date?
    var status: String
    var treatment: String
    var physician: String
    var tech: String
    /// The physician and tech as people ("Ann Lee, MD"); nil for a name recorded before
    /// accounts had names, or matching no account: pages show it as unverified.
    var physicianName: String?
    var techName: String?
    var region: String?
    var stills: Int
    /// When its physician signed the record; nil while unsigned.
    var signedAt: Date?
}

struct SessionList: ResponseCodable { var sessions: [SessionRow] }

/// The session page's data.
struct SessionDetail: ResponseCodable {
    /// The record; once signed, as it was signed (later changes are in `addenda`, and the
    /// record with them in `amended`).
    var session: ProcedureSession
    var patient: PatientView
    /// The session's physician and tech as people; nil when unverified (see ``SessionRow``).
    var physicianName: String?
    var techName: String?
    var tags: [TagEvent]
    var stills: [StillView]
    var millimetresPerPixel: Double?
    /// Where the recording around a moment plays (`?at=SECONDS`), when there is one.
    var recording: String?
    /// The record's version and who changed it last: a save sends the version back.
    var revision: SessionRevision?
    /// The procedure's parts in order, this session among them, when it was cut short and
    /// continued (or continues one); a single part otherwise.
    var parts: [PartView]
    /// Who signed the record ("dr.lee", and as a person), when, and the SHA-256 of what
    /// was signed; nil while unsigned.
    var signedBy: String?
    var signedByName: String?
    var signedAt: Date?
    var recordHash: String?
    /// The changes made after signing, oldest first.
    var addenda: [AddendumView]
    /// The record as it is now, with the addenda's changes: present once an addendum
    /// changed the record itself (not only a still).
    var amended: ProcedureSession?
}

/// A change made after signing, with its author as a person.
struct AddendumView: Codable, Sendable {
    var number: Int
    var author: String
    var authorName: String?
    var createdAt: Date
    var reason: String
    var changes: [Addendum.Change]

    init(_ addendum: Addendum, people: [String: String]) {
        number = addendum.number
        author = addendum.author
        authorName = people[addendum.author]
        createdAt = addendum.createdAt
        reason = addendum.reason
        changes = addendum.changes
    }
}

/// One part of a procedure on the session page: which session, how it ended, where its recording plays.
struct PartView: Codable, Sendable {
    var id: String
    var part: Int
    var status: String
    var reason: String?
    var startedAt: Date
    var endedAt: Date?
    var stills: Int
    /// Where the part's recording plays (`?at=SECONDS`), when it has one.
    var recording: String?
}

/// The still page's data.
struct StillDetail: ResponseCodable {
    var still: StillView
    var session: SessionRow
    var patient: PatientView
    var tagHistory: [TagRevisionView]
    var annotations: NeedleAnnotationHistory
    /// Each revision's measurements, in the order of `annotations.revisions`, with the scale as it is now.
    var measurements: [NeedleMeasurements]
    var millimetresPerPixel: Double?
    var injections: [InjectionSite]
    /// Who signed the still's session: a change now needs a reason (the note), and is an addendum.
    var signedBy: String?
    /// The needle detector's suggestion for the still; absent until it has looked.
    var suggestion: SuggestionView?
}

/// What the needle detector made of a still, for the still page: the line it suggests with
/// its confidence, or that it found none.
struct SuggestionView: Codable, Sendable {
    var detector: String
    var computedAt: Date
    var found: Bool
    var entry: ImagePoint?
    var tip: ImagePoint?
    var confidence: Double?
    var angleDegrees: Double?

    init(_ stored: StillNeedleSuggestion) {
        detector = stored.detector
        computedAt = stored.computedAt
        found = stored.suggestion != nil
        entry = stored.suggestion?.entry
        tip = stored.suggestion?.tip
        confidence = stored.suggestion?.confidence
        angleDegrees = stored.suggestion?.angleDegrees
    }
}

/// Accepting the still's suggestion as the physician's revision.
struct AcceptSuggestionRequest: Decodable {
    /// The revision the page had open; absent when nothing was drawn yet.
    var basedOn: Int?
    /// The detector whose line the page showed: refused when the still's suggestion is now another's.
    var detector: String
    /// The target the physician marked, kept with the accepted line.
    var target: ImagePoint?
    var note: String?
}

struct TagRevisionView: Codable, Sendable {
    var revision: Int
    var site: String?
    var structure: String?
    var author: String
    var createdAt: Date
    var note: String

    init(_ revision: StillTagRevision) {
        self.revision = revision.revision
        site = revision.tag?.site.description
        structure = revision.tag?.structure?.rawValue
        author = revision.author
        createdAt = revision.createdAt
        note = revision.note
    }
}

struct SearchResults: ResponseCodable {
    var stills: [StillView]
}

/// What the page sends to save a needle drawing.
/// What a needle drawing measures, as `NeedleGeometry` computes it on the server: the
/// still page shows these, never its own arithmetic.
struct NeedleMeasurements: ResponseCodable, Sendable {
    var angleDegrees: Double
    var lengthPixels: Double
    var lengthMillimetres: Double?
    var tipDepthMillimetres: Double?
    var tipToTargetPixels: Double?
    var tipToTargetMillimetres: Double?
    /// The scale they were measured with, if the session has one.
    var millimetresPerPixel: Double?

    init(_ geometry: NeedleGeometry) {
        angleDegrees = geometry.angleDegrees
        lengthPixels = geometry.lengthPixels
        lengthMillimetres = geometry.lengthMillimetres
        tipDepthMillimetres = geometry.tipDepthMillimetres
        tipToTargetPixels = geometry.tipToTargetPixels
        tipToTargetMillimetres = geometry.tipToTargetMillimetres
        millimetresPerPixel = geometry.millimetresPerPixel
    }
}

/// `POST /api/stills/ID/measure`: a drawing not saved yet, to be measured.
struct MeasureRequest: Decodable {
    var entry: ImagePoint
    var tip: ImagePoint
    var target: ImagePoint?
}

struct AnnotationRequest: Decodable {
    var entry: ImagePoint
    var tip: ImagePoint
    var target: ImagePoint?
    var note: String?
    /// The revision the page had open; absent for a first drawing.
    var basedOn: Int?
}

struct RestoreRequest: Decodable {
    var revision: Int
    var basedOn: Int
    /// Why, once the record is signed.
    var reason: String?
}

struct RetagRequest: Decodable {
    var site: String?
    var structure: String?
    var side: String?
    var note: String?
    var basedOn: Int
}

struct ScaleRequest: Decodable {
    /// Why, once the record is signed (every needle's millimetres change with the scale).
    var reason: String?
    /// Given directly...
    var millimetresPerPixel: Double?
    /// ...or as two ticks of the depth scale clicked on a still and the millimetres between them.
    var pixels: Double?
    var millimetres: Double?
}

/// The physician completing the procedure record; absent fields stay as they are.
struct SessionRecordRequest: Decodable {
    var indication: String?
    var notes: String?
    var complications: [String]?
    var painBefore: Int?
    var painAfter: Int?
    /// A follow-up pain score some days after the session.
    var followUp: FollowUpScore?
    /// The record's version the form was filled in from (`revision.version` of
    /// `GET /api/sessions/ID`): a save over a newer version is refused with 409.
    var version: Int?
    /// Why the record changes, required once it is signed: the change is then an addendum.
    var reason: String?
}

struct InjectionRequest: Decodable {
    var injectate: Injectate
    var volumeMillilitres: Double
    var needleGauge: Int?
    /// Why, once the record is signed.
    var reason: String?
}

extension NeedleAnnotation: ResponseEncodable {}
