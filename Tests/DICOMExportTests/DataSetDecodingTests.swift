import Foundation
import Testing
@testable import DICOMExport

/// Data sets read back: both VR forms, both sequence forms, character sets, and bytes that
/// do not read.
@Suite("Reading data sets")
struct DataSetDecodingTests {
    static var sample: DataSet {
        var step = DataSet()
        step.set(.modality, .CS, "US")
        step.set(DICOMTag(0x0040, 0x0002), .DA, "20261204")
        var code = DataSet()
        code.set(.codeValue, .SH, "T-11503")
        var set = DataSet()
        set.set(.specificCharacterSet, .CS, "ISO_IR 192")
        set.set(.patientName, .PN, "Müller^Jürgen")
        set.set(.patientID, .LO, "PAT-1")
        set.set(.rows, uint16: 480)
        set.set(DICOMTag(0x0040, 0x0100), items: [step, DataSet()])
        set.set(DICOMTag(0x0008, 0x1032), items: [])
        set.set(DICOMTag(0x0040, 0x0008), items: [code])
        return set
    }

    @Test("explicit VR, sequences of defined and of undefined length, read back as written (values padded to even length)", arguments: [SequenceLength.defined, .undefined])
    func explicitRoundTrip(_ sequences: SequenceLength) throws {
        let bytes = try Self.sample.encoded(sequences: sequences)
        let read = try DataSet(decoding: bytes, explicitVR: true)
        #expect(read.string(.patientName) == "Müller^Jürgen")
        #expect(read[.rows]?.value == .bytes([0xE0, 0x01]) && read[.rows]?.vr == .US)
        let steps = try #require(read[DICOMTag(0x0040, 0x0100)]?.items)
        #expect(steps.count == 2 && steps[0].string(.modality) == "US" && steps[1].sortedElements.isEmpty)
        #expect(read[DICOMTag(0x0008, 0x1032)]?.items == [])
        #expect(read[DICOMTag(0x0040, 0x0008)]?.items?.first?.string(.codeValue) == "T-11503")
        #expect(try read.encoded(sequences: sequences) == bytes, "written again, the same bytes")
    }

    @Test("implicit VR: the VR comes from the dictionary, and an unknown attribute holding an item reads as a sequence")
    func implicitRoundTrip() throws {
        var set = Self.sample
        var unknown = DataSet()
        unknown.set(.patientID, .LO, "INNER")
        set.set(DICOMTag(0x0009, 0x1010), items: [unknown])   // a private sequence: not in the dictionary
        let bytes = try set.encodedImplicit()
        #expect(Array(bytes[0..<8]) == [0x08, 0, 0x05, 0, 10, 0, 0, 0], "(0008,0005), a 32-bit length and no VR")
        let read = try DataSet(decoding: bytes, explicitVR: false)
        #expect(read[.patientName]?.vr == .PN && read.string(.patientName) == "Müller^Jürgen")
        #expect(read[DICOMTag(0x0040, 0x0100)]?.items?.first?.string(.modality) == "US")
        #expect(read[DICOMTag(0x0009, 0x1010)]?.items?.first?.string(.patientID) == "INNER")
        #expect(read[.rows]?.vr == .UN, "rows is not in the network dictionary; its bytes are kept")
        #expect(try read.encodedImplicit() == bytes)
    }

    @Test("encapsulated pixel data (a cine loop's MP4) reads back as its fragments, in either VR form", arguments: [true, false])
    func encapsulatedRoundTrip(_ explicit: Bool) throws {
        var set = DataSet()
        set.set(.sopInstanceUID, .UI, "2.25.7")
        set.set(DataElement(tag: .pixelData, vr: .OB, value: .fragments([[1, 2, 3], [4, 5]])))
        let bytes = try explicit ? set.encoded() : set.encodedImplicit()
        let read = try DataSet(decoding: bytes, explicitVR: explicit)
        guard case .fragments(let fragments)? = read[.pixelData]?.value else {
            Issue.record("pixel data did not read as fragments: \(String(describing: read[.pixelData]))")
            return
        }
        #expect(fragments == [[1, 2, 3, 0], [4, 5]], "each fragment padded to even length, the offset table left out")
        #expect(read.string(.sopInstanceUID) == "2.25.7")
    }

    @Test("text by the data set's character set, or the enclosing one's")
    func characterSets() throws {
        var set = DataSet()
        set.set(DataElement(tag: .specificCharacterSet, vr: .CS, value: .bytes(Array("ISO_IR 100".utf8))))
        set.set(DataElement(tag: .patientName, vr: .PN, value: .bytes([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x20])))   // "Müller " in Latin-1
        #expect(set.string(.patientName) == "Müller")
        var item = DataSet()
        item.set(DataElement(tag: .patientName, vr: .PN, value: .bytes([0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E])))
        #expect(item.string(.patientName, inherited: set.characterSet) == "Jürgen")
        #expect(item.string(.patientName) == "Jürgen", "no set declared: not UTF-8, so read as Latin-1")
        #expect(DICOMCharacterSet("ISO_IR 192").decode(Array("山田".utf8)) == "山田")
        #expect(DICOMCharacterSet("\\ISO 2022 IR 100") == .ascii && DICOMCharacterSet("ISO 2022 IR 100") == .latin1)
    }

    @Test("bytes that do not read say where", arguments: [
        ([0x10, 0x00, 0x10, 0x00, 0x50, 0x4E, 0x20, 0x00, 0x41], "holds 32 bytes but only 1"),
        ([0x10, 0x00, 0x10], "ends in the middle of an attribute"),
        ([0x40, 0x00, 0x00, 0x01, 0x53, 0x51, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0], "no end"),
        ([0x40, 0x00, 0x00, 0x01, 0x53, 0x51, 0, 0, 8, 0, 0, 0, 0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0], "where an item belongs"),
    ] as [([UInt8], String)])
    func badBytes(_ bytes: [UInt8], _ words: String) {
        let error = #expect(throws: DecodingError.self) { try DataSet(decoding: bytes, explicitVR: true) }
        #expect(error?.description.contains(words) == true, "\(String(describing: error))")
    }
}
