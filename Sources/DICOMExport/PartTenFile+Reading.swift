import Foundation

extension PartTenFile {
    /// The Media Storage SOP Instance UID (0002,0003) from the file meta information of
    /// Part 10 bytes, or nil when they do not start like a Part 10 file or lack it.
    /// Reads only the meta group, which PS3.10 7.1 fixes to explicit VR little endian.
    public static func mediaStorageSOPInstanceUID(in data: Data) -> String? {
        let bytes = [UInt8](data.prefix(64 << 10))
        guard bytes.count > 132, bytes[128..<132].elementsEqual("DICM".utf8) else { return nil }
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var offset = 132
        while offset + 8 <= bytes.count, uint16(offset) == 0x0002 {
            let element = uint16(offset + 2)
            let vr = String(decoding: bytes[(offset + 4)..<(offset + 6)], as: UTF8.self)
            let length: Int, valueStart: Int
            if ["OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR"].contains(vr) {
                guard offset + 12 <= bytes.count else { return nil }
                length = uint16(offset + 8) | uint16(offset + 10) << 16
                valueStart = offset + 12
            } else {
                length = uint16(offset + 6)
                valueStart = offset + 8
            }
            guard valueStart + length <= bytes.count else { return nil }
            if element == 0x0003 {
                let text = String(decoding: bytes[valueStart..<(valueStart + length)], as: UTF8.self)
                let uid = text.trimmingCharacters(in: CharacterSet(charactersIn: "\0 "))
                return uid.isEmpty ? nil : uid
            }
            offset = valueStart + length
        }
        return nil
    }
}

extension PartTenFile {
    /// A Part 10 file cut in two: its meta information (group 0002, always explicit VR
    /// little endian) and the data set's bytes as stored, in the transfer syntax the meta
    /// names. What a C-STORE sends.
    public struct Parts: Sendable {
        public let meta: DataSet
        public let dataSet: [UInt8]

        public var sopClassUID: String { meta.string(.mediaStorageSOPClassUID) ?? "" }
        public var sopInstanceUID: String { meta.string(.mediaStorageSOPInstanceUID) ?? "" }
        public var transferSyntaxUID: String { meta.string(.transferSyntaxUID) ?? "" }
    }

    /// - Throws: ``DecodingError`` when the bytes lack the preamble and `DICM`, or a meta
    ///   group that reads, or any of the SOP class, SOP instance and transfer syntax UIDs.
    public static func parts(of data: Data) throws(DecodingError) -> Parts {
        let bytes = [UInt8](data)
        guard bytes.count > 132, bytes[128..<132].elementsEqual("DICM".utf8) else {
            throw DecodingError(description: "not a DICOM Part 10 file: no \"DICM\" after the 128-byte preamble")
        }
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var end = 132
        while end + 8 <= bytes.count, uint16(end) == 0x0002 {
            let vr = String(decoding: bytes[(end + 4)..<(end + 6)], as: UTF8.self)
            if ["OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR"].contains(vr) {
                guard end + 12 <= bytes.count else { break }
                end += 12 + (uint16(end + 8) | uint16(end + 10) << 16)
            } else {
                end += 8 + uint16(end + 6)
            }
        }
        guard end <= bytes.count else { throw DecodingError(description: "the file meta information runs past the end of the file") }
        let meta = try DataSet(decoding: Array(bytes[132..<end]), explicitVR: true)
        let parts = Parts(meta: meta, dataSet: Array(bytes[end...]))
        for (tag, name) in [(DICOMTag.mediaStorageSOPClassUID, "SOP class"), (.mediaStorageSOPInstanceUID, "SOP instance"), (.transferSyntaxUID, "transfer syntax")]
        where (meta.string(tag) ?? "").isEmpty {
            throw DecodingError(description: "the file meta information has no \(name) UID \(tag)")
        }
        return parts
    }
}
