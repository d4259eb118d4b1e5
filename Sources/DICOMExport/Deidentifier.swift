import Foundation

/// PS3.15 Annex E Basic Application Level Confidentiality Profile, as an allowlist:
/// an attribute is kept only when it is on ``kept`` (what the profile retains, plus
/// NeedleLog's anatomy, calibration and needle presentation), or handled by
/// ``actions``; everything else (a private attribute, an address, any attribute a
/// future builder adds) is removed, at every depth of nested sequences.
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

    /// Identifying attributes NeedleLog's objects need in some form (Type 1 or 2), and
    /// what becomes of them. The removed ones are listed too, to say so on purpose.
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
    ]

    /// Kept unchanged (sequences cleaned item by item). Nothing here names or dates a
    /// person: the object's kind and picture, the coded anatomy and side, the ultrasound
    /// calibration, and the needle's presentation state, whose text NeedleLog writes
    /// itself (level and structure only).
    static let kept: Set<DICOMTag> = [
        // SOP Common, General Series, General Equipment, General Image, US Image.
        .specificCharacterSet, .sopClassUID, .modality, .seriesNumber, .instanceNumber, .imageType,
        .manufacturer, .softwareVersions, .patientOrientation, .laterality, .imageLaterality,
        .burnedInAnnotation, .lossyImageCompression,
        // De-identification's own record (rewritten by `apply`).
        .patientIdentityRemoved, .deidentificationMethod, .deidentificationMethodCodeSequence,
        // Anatomy: Body Part Examined, the coded region and structures with the side.
        .bodyPartExamined, .anatomicRegionSequence, .anatomicRegionModifierSequence,
        .primaryAnatomicStructureSequence, .primaryAnatomicStructureModifierSequence,
        .codeValue, .codingSchemeDesignator, .codeMeaning,
        // Calibration: US Region Calibration.
        .sequenceOfUltrasoundRegions, .regionSpatialFormat, .regionDataType, .regionFlags,
        .regionLocationMinX0, .regionLocationMinY0, .regionLocationMaxX1, .regionLocationMaxY1,
        .physicalUnitsXDirection, .physicalUnitsYDirection, .physicalDeltaX, .physicalDeltaY,
        // Image Pixel.
        .samplesPerPixel, .photometricInterpretation, .planarConfiguration, .rows, .columns,
        .bitsAllocated, .bitsStored, .highBit, .pixelRepresentation, .pixelData,
        // The needle: presentation state identification, relationship, displayed area,
        // graphic layer and annotation, VOI and presentation LUTs or ICC profile.
        .contentLabel, .contentDescription,
        .referencedSeriesSequence, .referencedImageSequence, .referencedSOPClassUID,
        .displayedAreaSelectionSequence, .displayedAreaTopLeftHandCorner, .displayedAreaBottomRightHandCorner,
        .presentationSizeMode, .presentedPixelAspectRatio,
        .graphicLayerSequence, .graphicLayer, .graphicLayerOrder, .graphicLayerRecommendedDisplayGrayscaleValue,
        .graphicLayerRecommendedDisplayCIELabValue, .graphicLayerDescription,
        .graphicAnnotationSequence, .graphicObjectSequence, .graphicAnnotationUnits, .graphicDimensions,
        .numberOfGraphicPoints, .graphicData, .graphicType, .graphicFilled,
        .textObjectSequence, .boundingBoxAnnotationUnits, .anchorPointAnnotationUnits, .unformattedTextValue,
        .boundingBoxTopLeftHandCorner, .boundingBoxBottomRightHandCorner, .boundingBoxTextHorizontalJustification,
        .anchorPoint, .anchorPointVisibility,
        .softcopyVOILUTSequence, .windowCenter, .windowWidth, .presentationLUTShape, .iccProfile, .colorSpace,
    ]

    /// The de-identified copy of `set`.
    ///
    /// - Parameter pixelsCleaned: whether every place the scanner burns text into this
    ///   object's pixels was masked; only then does Burned In Annotation become NO and
    ///   the Clean Pixel Data Option get recorded. An image whose pixels were not
    ///   cleaned says Burned In Annotation YES. Pass false for objects without pixels.
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
        } else if out[.pixelData] != nil {
            description += "; burned-in text not removed"
            out.set(.burnedInAnnotation, .CS, "YES")
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
                // Not on the list: removed, whatever it is.
                guard Self.kept.contains(element.tag) else { continue }
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
