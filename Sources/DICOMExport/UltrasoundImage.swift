import Foundation
import Media
import Records

/// A still as a US Image Storage object (PS3.3 A.6): Patient, General Study, General
/// Series, General Equipment, General Image, Image Pixel, US Region Calibration (when
/// the scale is known), US Image and SOP Common modules.
public enum UltrasoundImage {
    /// - Parameter pixels: the picture to write, which de-identification masks first;
    ///   `nil` writes the record's own image.
    public static func dataSet(for record: StillRecord, uids: UIDScheme = .archive, timeZone: TimeZone = .current,
                               pixels: Image? = nil) -> DataSet {
        let image = pixels ?? record.image
        var set = CommonModules.patientAndStudy(record, uids: uids, timeZone: timeZone)
        set.set(.sopClassUID, .UI, DICOMUID.ultrasoundImageStorage)
        set.set(.sopInstanceUID, .UI, record.imageUID(uids))
        CommonModules.series(&set, record, uid: record.imageSeriesUID(uids), number: record.imageSeriesNumber,
                             modality: "US", description: "NeedleLog stills " + (record.bodyPart?.definedTerm ?? "untagged"),
                             timeZone: timeZone)
        generalImage(&set, record, timeZone: timeZone)
        imagePixel(&set, image)
        usImage(&set, record)
        if let scale = record.millimetresPerPixel { regionCalibration(&set, width: image.width, height: image.height, millimetresPerPixel: scale) }
        return set
    }

    // MARK: - Modules

    private static func generalImage(_ set: inout DataSet, _ record: StillRecord, timeZone: TimeZone) {
        let taken = record.takenAt
        set.set(.instanceNumber, .IS, String(record.instanceNumber))
        // Type 2C: US has no Image Orientation (Patient), so the orientation goes here, unknown.
        set.set(.patientOrientation, .CS)
        set.set(.contentDate, .DA, DICOMText.date(taken, in: timeZone))
        set.set(.contentTime, .TM, DICOMText.time(taken, in: timeZone))
        set.set(.acquisitionDateTime, .DT, DICOMText.dateTime(taken, in: timeZone))
        set.set(.instanceCreationDate, .DA, DICOMText.date(record.still.createdAt, in: timeZone))
        set.set(.instanceCreationTime, .TM, DICOMText.time(record.still.createdAt, in: timeZone))
        // Every still is a grab of the scanner's screen, whose header carries the
        // patient's name and the date.
        set.set(.burnedInAnnotation, .CS, "YES")
        // The site, then the signature and each addendum about this still, in order: a
        // reader of the image alone sees that the record was signed and changed since.
        var comments = record.signing
        if let tag = record.still.tag {
            let coding = SiteCoding(tag: tag)
            set.set(.bodyPartExamined, .CS, coding.bodyPart.definedTerm)
            set.set(.anatomicRegionSequence, items: coding.regionItems)
            let structures = coding.structureItems
            if !structures.isEmpty { set.set(.primaryAnatomicStructureSequence, items: structures) }
            if let laterality = coding.imageLaterality { set.set(.imageLaterality, .CS, laterality) }
            comments.insert(coding.label, at: 0)
        }
        if !comments.isEmpty { set.set(.imageComments, .LT, DICOMText.value(comments.joined(separator: " | "), .LT)) }
    }

    private static func imagePixel(_ set: inout DataSet, _ image: Image) {
        let gray = image.format == .gray8
        set.set(.samplesPerPixel, uint16: gray ? 1 : 3)
        set.set(.photometricInterpretation, .CS, gray ? "MONOCHROME2" : "RGB")
        // RGB as Media keeps it: R, G, B of each pixel together (colour-by-pixel).
        if !gray { set.set(.planarConfiguration, uint16: 0) }
        set.set(.rows, uint16: UInt16(image.height))
        set.set(.columns, uint16: UInt16(image.width))
        set.set(.bitsAllocated, uint16: 8)
        set.set(.bitsStored, uint16: 8)
        set.set(.highBit, uint16: 7)
        set.set(.pixelRepresentation, uint16: 0)
        set.set(.pixelData, .OB, bytes: image.pixels)
    }

    /// US Image Module (PS3.3 C.8.5.6): Image Type value 3 names the exam
    /// (MUSCULOSKELETAL), value 4 the modes in the image (0001: 2D imaging).
    private static func usImage(_ set: inout DataSet, _ record: StillRecord) {
        set.set(.imageType, .CS, "ORIGINAL", "PRIMARY", "MUSCULOSKELETAL", "0001")
    }

    /// US Region Calibration Module (C.8.5.5): one region over the whole frame, since
    /// the screen layout is not known; DICOM measures it in centimetres (units code 3).
    static func regionCalibration(_ set: inout DataSet, width: Int, height: Int, millimetresPerPixel: Double) {
        var region = DataSet()
        region.set(.regionSpatialFormat, uint16: 1)  // 2D
        region.set(.regionDataType, uint16: 1)  // tissue
        region.set(.regionFlags, uint32: 0)
        region.set(.regionLocationMinX0, uint32: 0)
        region.set(.regionLocationMinY0, uint32: 0)
        region.set(.regionLocationMaxX1, uint32: UInt32(width - 1))
        region.set(.regionLocationMaxY1, uint32: UInt32(height - 1))
        region.set(.physicalUnitsXDirection, uint16: 3)
        region.set(.physicalUnitsYDirection, uint16: 3)
        region.set(.physicalDeltaX, float64: millimetresPerPixel / 10)
        region.set(.physicalDeltaY, float64: millimetresPerPixel / 10)
        set.set(.sequenceOfUltrasoundRegions, items: [region])
    }
}
