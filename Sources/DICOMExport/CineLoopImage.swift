import Foundation
import Media
import Records

/// The cine loop around a still as an Ultrasound Multi-frame Image (PS3.3 A.7) whose
/// pixel data is the H.264 video in its MP4 file, one fragment (PS3.5 8.2.8): the same
/// patient, study, order, anatomy coding and calibration as the still's image, in a series
/// of its own.
public enum CineLoopImage {
    public static let sopClass = "1.2.840.10008.5.1.4.1.1.3.1"

    /// - Parameters:
    ///   - record: the still the loop is around (its anatomy and the session's people).
    ///   - video: the MP4 file's bytes, as ``CineLoop/write(from:start:end:to:)`` made them.
    ///   - start: the loop's first second in the recording, which names the object.
    public static func dataSet(for record: StillRecord, facts: CineLoop.Facts, video: [UInt8], start: Double, end: Double,
                               uids: UIDScheme = .archive, timeZone: TimeZone = .current) -> DataSet {
        var set = UltrasoundImage.dataSet(for: record, uids: uids, timeZone: timeZone)
        let session = record.session.id.uuidString.lowercased()
        set.set(.sopClassUID, .UI, sopClass)
        set.set(.sopInstanceUID, .UI, uids.uid("cine", "\(session)/\(record.still.id.uuidString.lowercased())/\(Int(start * 1000))-\(Int(end * 1000))"))
        // One series per Body Part Examined, as for the stills: DICOM keeps it at series level.
        set.set(.seriesInstanceUID, .UI, uids.uid("series-cine", session + "/" + (record.bodyPart?.definedTerm ?? "untagged")))
        set.set(.seriesNumber, .IS, String(200 + record.imageSeriesNumber))
        set.set(.seriesDescription, .LO, "NeedleLog cine loops")
        set.set(.instanceNumber, .IS, String(record.instanceNumber))
        // Image Pixel for H.264: 4:2:0 YCbCr, limited range (PS3.5 8.2.8).
        set.set(.samplesPerPixel, uint16: 3)
        set.set(.photometricInterpretation, .CS, "YBR_PARTIAL_420")
        set.set(.planarConfiguration, uint16: 0)
        set.set(.rows, uint16: UInt16(facts.height))
        set.set(.columns, uint16: UInt16(facts.width))
        set.remove(.iccProfile)
        set.remove(.colorSpace)
        // Multi-frame and Cine: every frame the same time apart.
        set.set(.numberOfFrames, .IS, String(facts.frames))
        set.set(.frameIncrementPointer, tag: .frameTime)
        set.set(.frameTime, .DS, DICOMText.decimal(1000 / facts.frameRate))
        set.set(.cineRate, .IS, String(Int(facts.frameRate.rounded())))
        set.set(.recommendedDisplayFrameRate, .IS, String(Int(facts.frameRate.rounded())))
        set.set(.effectiveDuration, .DS, DICOMText.decimal(Double(facts.frames) / facts.frameRate))
        set.set(.lossyImageCompression, .CS, "01")
        set.set(.lossyImageCompressionMethod, .CS, "ISO_14496_10")
        // The calibration in the loop's own pixels, which may be scaled from the still's.
        set.remove(.sequenceOfUltrasoundRegions)
        if let scale = record.millimetresPerPixel {
            let factor = Double(record.image.width) / Double(facts.width)
            UltrasoundImage.regionCalibration(&set, width: facts.width, height: facts.height, millimetresPerPixel: scale * factor)
        }
        set.set(DataElement(tag: .pixelData, vr: .OB, value: .fragments([video])))
        return set
    }
}

extension CineLoopImage {
    /// Makes the loop from seconds `start` to `end` of `recording` and writes it as
    /// `folder/<Study Instance UID>/US-CINE-<SOP Instance UID>.dcm`, whole or not at all; the
    /// intermediate MP4 file is removed either way.
    /// - Returns: the file, its SOP Instance UID and what the video holds.
    public static func write(around record: StillRecord, recording: URL, start: Double, end: Double, to folder: URL,
                             uids: UIDScheme = .archive) throws -> (url: URL, sopInstanceUID: String, facts: CineLoop.Facts) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let video = folder.appendingPathComponent(".cine-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: video) }
        let facts = try CineLoop.write(from: recording.path, start: start, end: end, to: video.path)
        let set = dataSet(for: record, facts: facts, video: [UInt8](try Data(contentsOf: video)), start: start, end: end, uids: uids)
        let uid = set.text(.sopInstanceUID) ?? ""
        let url = folder.appendingPathComponent(set.text(.studyInstanceUID) ?? "study", isDirectory: true)
            .appendingPathComponent("US-CINE-\(uid).dcm")
        try AtomicFile.write(try PartTenFile(dataSet: set).encoded(transferSyntax: facts.transferSyntax), to: url)
        return (url, uid, facts)
    }
}
