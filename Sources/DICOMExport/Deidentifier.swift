import Foundation

/// PS3.15 Annex E Basic Application Level Confidentiality Profile, applied to the
/// attributes NeedleLog writes (and the usual identifying ones, should a future
/// builder add them), at every depth of nested sequences.
///
/// Actions follow PS3.15 Table E.1-1: X remove, Z empty, D replace with a dummy,
/// U replace a UID consistently. Patient's Name and ID become a pseudonym that is
/// the same for every object of a patient in one export, so a teaching set still
/// groups by patient. Site, structure, side, calibration and the needle stay.
public struct Deidentifier: Sendable {
    /// Renames UIDs; its salt must differ from the archive's.
    public let uids: UIDScheme

    /// - Parameter salt: keep it secret and reuse it to get the same de-identified UIDs
    ///   and pseudonyms on a later export; without one a random salt is used, so two
    ///   teaching exports cannot be linked.
    public init(salt: String? = nil) {
        let salt = salt ?? UUID().uuidString
        uids = UIDScheme(salt: "deidentified:" + salt)
    }

    enum Action { case remove, empty, dummy(String), uid }

    /// The dummy for Type 1 dates, which may not be empty.
    static let dummyDate = "19000101"
    static let dummyTime = "000000"

    static let actions: [DICOMTag: Action] = [
        .instanceCreationDate: .remove, .instanceCreationTime: .remove,
        .studyDate: .empty, .studyTime: .empty,
        .seriesDate: .remove, .seriesTime: .remove,
        .contentDate: .empty, .contentTime: .empty,
        .acquisitionDateTime: .remove, .timezoneOffsetFromUTC: .remove,
        .presentationCreationDate: .dummy(dummyDate), .presentationCreationTime: .dummy(dummyTime),
        .accessionNumber: .empty, .institutionName: .remove, .referringPhysicianName: .empty,
        .stationName: .remove, .studyDescription: .remove, .seriesDescription: .remove,
        .performingPhysicianName: .remove, .operatorsName: .remove, .contentCreatorName: .empty,
        .patientBirthDate: .empty, .patientSex: .empty, .studyID: .empty, .imageComments: .remove,
        .studyInstanceUID: .uid, .seriesInstanceUID: .uid, .sopInstanceUID: .uid, .referencedSOPInstanceUID: .uid,
        DICOMTag(0x0010, 0x1000): .remove,  // Other Patient IDs
        DICOMTag(0x0010, 0x1001): .remove,  // Other Patient Names
        DICOMTag(0x0010, 0x1010): .remove,  // Patient's Age
        DICOMTag(0x0010, 0x4000): .remove,  // Patient Comments
        DICOMTag(0x0008, 0x0081): .remove,  // Institution Address
        DICOMTag(0x0018, 0x1000): .remove,  // Device Serial Number
    ]

    /// The de-identified copy of `set`.
    ///
    /// - Parameter pixelsCleaned: whether burned-in text was masked in this object's
    ///   pixels; only then does Burned In Annotation become NO and the Clean Pixel Data
    ///   Option get recorded. Pass false for objects without pixels.
    public func apply(to set: DataSet, pixelsCleaned: Bool) -> DataSet {
        var out = clean(set)
        let pseudonym = self.pseudonym(for: set.text(.patientID) ?? "")
        // The caret keeps it in the component form (see DICOMText.personName).
        out.set(.patientName, .PN, pseudonym + "^")
        out.set(.patientID, .LO, pseudonym)
        out.set(.patientIdentityRemoved, .CS, "YES")
        var methods = [CodedConcept.basicProfile]
        var description = "PS3.15 Basic Profile"
        if pixelsCleaned {
            methods.append(.cleanPixelData)
            description += "; burned-in text masked"
            out.set(.burnedInAnnotation, .CS, "NO")
        }
        out.set(.deidentificationMethod, .LO, description)
        out.set(.deidentificationMethodCodeSequence, items: methods.map { $0.item() })
        return out
    }

    /// `ANON-` and 10 hex digits derived from the patient ID under this salt.
    public func pseudonym(for patientID: String) -> String {
        let uid = uids.uid("patient", patientID)
        let digits = uid.dropFirst(5).suffix(10)
        return "ANON-" + digits
    }

    private func clean(_ set: DataSet) -> DataSet {
        var out = DataSet()
        for element in set.sortedElements {
            switch Self.actions[element.tag] {
            case .remove:
                continue
            case .empty:
                out.set(DataElement(tag: element.tag, vr: element.vr, value: element.vr == .SQ ? .items([]) : .bytes([])))
            case .dummy(let text):
                out.set(element.tag, element.vr, text)
            case .uid:
                out.set(element.tag, element.vr, uids.renamed(element.text ?? ""))
            case nil:
                if case .items(let items) = element.value {
                    out.set(element.tag, items: items.map(clean))
                } else {
                    out.set(element)
                }
            }
        }
        return out
    }
}
