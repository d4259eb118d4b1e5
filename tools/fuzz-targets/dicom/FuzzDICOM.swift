// libFuzzer target `dicom` (tools/fuzz dicom): the input as the bytes of a file handed to
// `needlelog export push --stow`, whose SOP Instance UID is read from the Part 10 meta
// group by PartTenFile.mediaStorageSOPInstanceUID(in:) (Sources/DICOMExport/
// PartTenFile+Reading.swift), and as a DICOMweb server's STOW-RS answer (STOWResponse).
//
// Seeds are Part 10 files made by DICOMExport's own writer (DataSet, PartTenFile).
import Foundation
@testable import DICOMExport

func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzDICOMInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    if let folder = ProcessInfo.processInfo.environment["NEEDLELOG_FUZZ_WRITE_SEEDS"] {
        writeSeeds(to: folder)
        exit(0)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDICOM(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    if let uid = PartTenFile.mediaStorageSOPInstanceUID(in: bytes) {
        promise(!uid.isEmpty, "an empty UID")
        promise(uid.first != " " && uid.last != " " && !uid.hasSuffix("\0"), "UID \(uid.debugDescription) keeps its padding")
    }
    // The same bytes after a 4-byte offset, as they would sit in a multipart body or a
    // file with a short preamble: the reader must simply refuse them.
    if bytes.count > 4 { _ = PartTenFile.mediaStorageSOPInstanceUID(in: bytes.dropFirst(4)) }
    if let answer = STOWResponse(bytes) {
        for code in answer.stored.values.compactMap(\.self) + answer.failed.values.compactMap(\.self) {
            promise(STOWResponse.describe(code).hasPrefix("0x"), "description of \(code)")
        }
    }
    return 0
}

func writeSeeds(to folder: String) {
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var image = DataSet()
    image.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.6.1")
    image.set(.sopInstanceUID, .UI, "2.25.123456789012345678901234567890")
    image.set(.modality, .CS, "US")
    image.set(.institutionName, .LO, "Clinic")
    image.set(.rows, uint16: 2)
    image.set(.columns, uint16: 2)
    image.set(.pixelData, .OB, bytes: [0, 64, 128, 255])
    var item = DataSet()
    item.set(.codeValue, .SH, "T-D0146")
    item.set(.codingSchemeDesignator, .SH, "SRT")
    item.set(.codeMeaning, .LO, "Lumbar spine")
    var withSequence = image
    withSequence.set(.sopInstanceUID, .UI, "2.25.1")
    withSequence.set(DICOMTag(0x0008, 0x2218), items: [item])
    let files: [(String, DataSet, SequenceLength)] = [
        ("part10-image", image, .defined),
        ("part10-sequence-defined", withSequence, .defined),
        ("part10-sequence-undefined", withSequence, .undefined),
    ]
    for (name, set, sequences) in files {
        if let data = try? PartTenFile(dataSet: set).encoded(sequences: sequences) {
            _ = FileManager.default.createFile(atPath: "\(folder)/\(name).dcm", contents: data)
        }
    }
    let answers = [
        #"{"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["2.25.1"]},"00081196":{"vr":"US","Value":[45056]}}]}}"#,
        #"{"00081198":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["2.25.2"]},"00081197":{"vr":"US","Value":["A700"]}}]},"00081199":{"vr":"SQ","Value":[]}}"#,
    ]
    for (index, answer) in answers.enumerated() {
        _ = FileManager.default.createFile(atPath: "\(folder)/stow-answer-\(index).json", contents: Data(answer.utf8))
    }
}
