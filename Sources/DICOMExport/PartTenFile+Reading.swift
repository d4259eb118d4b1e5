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
