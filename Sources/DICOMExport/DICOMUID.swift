import Crypto
import Foundation

/// UIDs derived from NeedleLog's own identifiers, so exporting the same still twice
/// gives the same SOP Instance UID and a PACS sees a repeat rather than a new image.
///
/// A UID is `2.25.` followed by the decimal of a 128-bit number (PS3.5 B.2, the
/// UUID-derived root that needs no registered organisation); the number is the first
/// 16 bytes of SHA-256 over a salt, a kind and the source identifier. A different
/// salt gives an unrelated set of UIDs, which is how de-identification renames them.
public struct UIDScheme: Sendable, Hashable {
    public let salt: String

    /// The salt of ordinary, identified exports.
    public static let archive = UIDScheme(salt: "needlelog")

    public init(salt: String) {
        self.salt = salt
    }

    /// The UID for `kind` (such as `study`) of `identifier`.
    public func uid(_ kind: String, _ identifier: String) -> String {
        let digest = SHA256.hash(data: Array("\(salt)\u{0}\(kind)\u{0}\(identifier)".utf8))
        var value: UInt128 = 0
        for byte in digest.prefix(16) { value = value << 8 | UInt128(byte) }
        return "2.25.\(value)"
    }

    public func study(_ session: UUID) -> String { uid("study", session.uuidString.lowercased()) }

    /// One image series per Body Part Examined in a session: DICOM keeps Body Part
    /// Examined at series level, and a PACS indexes it there, so stills of L4-L5
    /// (LSPINE) and L5-S1 (LSSPINE) go to two series. `nil` for untagged stills.
    public func imageSeries(_ session: UUID, bodyPart: String?) -> String {
        uid("series-us", session.uuidString.lowercased() + "/" + (bodyPart ?? "untagged"))
    }

    public func presentationSeries(_ session: UUID) -> String { uid("series-pr", session.uuidString.lowercased()) }

    /// The still's image. The tag is part of the source: a still retagged by the
    /// physician carries other codes and so is a new object, never a second version
    /// under an old UID (which a PACS would ignore as already stored).
    public func image(_ still: UUID, tag: String?) -> String {
        uid("image", still.uuidString.lowercased() + "/" + (tag ?? ""))
    }

    /// A presentation state per annotation revision of an image: a new drawing is a
    /// new object, the same drawing exported again is the same one. Grayscale and
    /// colour presentation states share the scheme (the kind stays "gsps", so no
    /// UID already exported changes): a still is either grey or RGB, never both.
    public func presentation(image: String, revision: Int) -> String {
        uid("gsps", "\(image)/\(revision)")
    }

    /// An existing UID renamed under this scheme (de-identification).
    public func renamed(_ uid: String) -> String { self.uid("renamed", uid) }
}

/// Well-known UIDs NeedleLog writes.
public enum DICOMUID {
    public static let ultrasoundImageStorage = "1.2.840.10008.5.1.4.1.1.6.1"
    public static let grayscaleSoftcopyPresentationStateStorage = "1.2.840.10008.5.1.4.1.1.11.1"
    public static let colorSoftcopyPresentationStateStorage = "1.2.840.10008.5.1.4.1.1.11.2"
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    /// Identifies the software that wrote the file (PS3.7 D.3.3.2); derived like the
    /// others so it needs no registered root.
    public static let implementationClass = UIDScheme.archive.uid("implementation", "needlelog-dicom-1")
    public static let implementationVersionName = "NEEDLELOG_1"
}
