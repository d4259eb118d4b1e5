import DICOMExport
import Foundation

/// Small, valid DICOM objects built in the tests: Secondary Capture images (64x48, 8-bit
/// grey, a gradient that differs per index) with the modules dciodvfy asks for.
enum TestObjects {
    static let secondaryCapture = "1.2.840.10008.5.1.4.1.1.7"

    static func image(_ index: Int, study: String = "2.25.1000", patientName: String = "Müller^Jürgen", sopClass: String = secondaryCapture) -> DataSet {
        var set = DataSet()
        set.set(.specificCharacterSet, .CS, "ISO_IR 192")
        set.set(.imageType, .CS, "DERIVED", "SECONDARY")
        set.set(.sopClassUID, .UI, sopClass)
        set.set(.sopInstanceUID, .UI, "2.25.\(900_000 + index)")
        set.set(.studyDate, .DA, "20261204")
        set.set(.contentDate, .DA, "20261204")
        set.set(.studyTime, .TM, "093000")
        set.set(.contentTime, .TM, "093000")
        set.set(.accessionNumber, .SH, "ACC0001")
        set.set(.modality, .CS, "US")
        set.set(DICOMTag(0x0008, 0x0064), .CS, "WSD")   // Conversion Type
        set.set(.referringPhysicianName, .PN)
        set.set(.patientName, .PN, patientName)
        set.set(.patientID, .LO, "PAT-0001")
        set.set(.patientBirthDate, .DA, "19640312")
        set.set(.patientSex, .CS, "M")
        set.set(.studyInstanceUID, .UI, study)
        set.set(.seriesInstanceUID, .UI, study + ".1")
        set.set(.studyID, .SH, "1")
        set.set(.seriesNumber, .IS, "1")
        set.set(.instanceNumber, .IS, String(index + 1))
        set.set(.patientOrientation, .CS)
        set.set(.laterality, .CS)
        set.set(.samplesPerPixel, uint16: 1)
        set.set(.photometricInterpretation, .CS, "MONOCHROME2")
        set.set(.rows, uint16: 48)
        set.set(.columns, uint16: 64)
        set.set(.bitsAllocated, uint16: 8)
        set.set(.bitsStored, uint16: 8)
        set.set(.highBit, uint16: 7)
        set.set(.pixelRepresentation, uint16: 0)
        set.set(.pixelData, .OB, bytes: (0..<(64 * 48)).map { UInt8(truncatingIfNeeded: $0 % 64 * 4 + index) })
        return set
    }

    /// `count` images written as Part 10 files into a new folder.
    static func folder(_ count: Int, sopClass: (Int) -> String = { _ in secondaryCapture }) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<count {
            let bytes = try PartTenFile(dataSet: image(index, sopClass: sopClass(index))).encoded()
            try bytes.write(to: folder.appendingPathComponent(String(format: "IMG%03d.dcm", index)))
        }
        return folder
    }
}
