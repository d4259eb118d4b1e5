import Foundation
import Media
import Records

/// Everything one still's DICOM objects are made from: the still and its pixels,
/// the session and patient it belongs to, and the needle drawn on it, if any.
public struct StillRecord: Sendable {
    public var patient: Patient
    public var session: ProcedureSession
    public var still: Still
    /// The still's position in its session (1, 2, ...), which becomes Instance Number;
    /// counted over the whole session so it does not change with the export's filter.
    public var instanceNumber: Int
    public var image: Image
    /// The needle in force (the latest revision), if one is drawn.
    public var annotation: NeedleAnnotation?
    /// The image scale when known from elsewhere than the annotation (a command-line option).
    public var defaultMillimetresPerPixel: Double?
    /// The session's physician and tech as people, from their accounts; nil writes the
    /// name as the session recorded it.
    public var physician: PersonName?
    public var tech: PersonName?
    /// The record's signature and the addenda after it that concern this still, oldest
    /// first, as Image Comments carries them after the site ("Record signed by …",
    /// "Addendum 1 by … : reason: tag: … → …"); empty while unsigned.
    public var signing: [String] = []
    /// The RIS order the session carries out, when it was started from the worklist: its
    /// study instance UID and accession number file the images under that order.
    public var order: ScheduledOrder?

    public init(patient: Patient, session: ProcedureSession, still: Still, instanceNumber: Int, image: Image,
                annotation: NeedleAnnotation? = nil, defaultMillimetresPerPixel: Double? = nil,
                physician: PersonName? = nil, tech: PersonName? = nil) {
        self.patient = patient
        self.session = session
        self.still = still
        self.instanceNumber = instanceNumber
        self.image = image
        self.annotation = annotation
        self.defaultMillimetresPerPixel = defaultMillimetresPerPixel
        self.physician = physician
        self.tech = tech
    }

    /// The scale the physician drew with, else the default.
    public var millimetresPerPixel: Double? {
        annotation?.millimetresPerPixel ?? defaultMillimetresPerPixel
    }

    /// When the still was taken: the session's start plus the still's offset.
    public var takenAt: Date {
        session.startedAt.addingTimeInterval(still.time)
    }
}
