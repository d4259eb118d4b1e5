import Foundation

/// Why bytes from a peer or a file do not read as a data set.
public struct DecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension DataSet {
    /// Reads a data set in explicit or implicit VR little endian (PS3.5 7.1), sequences of
    /// either defined or undefined length. In implicit VR the VR comes from
    /// ``DICOMTag/implicitVR``; an unknown attribute whose value starts with an item is read
    /// as a sequence, any other as UN with its bytes kept. Values keep their padding.
    public init(decoding bytes: [UInt8], explicitVR: Bool) throws(DecodingError) {
        var reader = DataSetReader(bytes: bytes, explicitVR: explicitVR)
        self = try reader.dataSet(until: bytes.count, depth: 0)
    }

    /// The data set in implicit VR little endian (PS3.5 A.1): no VR in the headers, 32-bit
    /// lengths throughout. Peers that accept only the default transfer syntax want this.
    public func encodedImplicit() throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        for element in sortedElements {
            out += DataSet.littleEndian(element.tag.group) + DataSet.littleEndian(element.tag.element)
            switch element.value {
            case .bytes(let bytes):
                let payload = bytes.count.isMultiple(of: 2) ? bytes : bytes + [element.vr.paddingByte]
                guard payload.count < 0xFFFF_FFFF else { throw EncodingError(description: "\(element.tag) holds more than a DICOM value can") }
                out += DataSet.littleEndian(UInt32(payload.count)) + payload
            case .fragments(let fragments):
                // Encapsulated pixel data goes only in its own (explicit VR) transfer syntax.
                out += DataSet.littleEndian(UInt32(0xFFFF_FFFF)) + DataSet.encapsulated(fragments)
            case .items(let items):
                var body: [UInt8] = []
                for item in items {
                    let itemBytes = try item.encodedImplicit()
                    body += DataSet.littleEndian(UInt16(0xFFFE)) + DataSet.littleEndian(UInt16(0xE000)) + DataSet.littleEndian(UInt32(itemBytes.count)) + itemBytes
                }
                out += DataSet.littleEndian(UInt32(body.count)) + body
            }
        }
        return out
    }

    /// The Specific Character Set (0008,0005) this data set declares, if any.
    public var characterSet: DICOMCharacterSet? {
        text(.specificCharacterSet).map { DICOMCharacterSet($0) }
    }

    /// A text value decoded by the data set's character set (or `inherited`, an enclosing
    /// data set's, when this one declares none), without its padding. Multiple values stay
    /// joined by backslash.
    public func string(_ tag: DICOMTag, inherited: DICOMCharacterSet? = nil) -> String? {
        guard let element = elements[tag], element.vr.isText, case .bytes(let raw) = element.value else { return nil }
        let set = element.vr.followsCharacterSet ? (characterSet ?? inherited ?? .ascii) : .ascii
        return set.decode(raw).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
    }
}

/// The character sets (0008,0005) names that NeedleLog reads. ISO 2022 code extensions are
/// read as their first set.
public enum DICOMCharacterSet: Sendable, Equatable {
    /// The default repertoire (no (0008,0005), or ISO_IR 6).
    case ascii
    /// ISO_IR 100: Latin alphabet 1 (ISO 8859-1).
    case latin1
    /// ISO_IR 101: Latin alphabet 2 (ISO 8859-2).
    case latin2
    /// ISO_IR 192: UTF-8.
    case utf8

    public init(_ value: String) {
        let first = value.split(separator: "\\", omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch first.uppercased() {
        case "ISO_IR 100", "ISO 2022 IR 100": self = .latin1
        case "ISO_IR 101", "ISO 2022 IR 101": self = .latin2
        case "ISO_IR 192": self = .utf8
        default: self = .ascii
        }
    }

    /// What (0008,0005) says for this set.
    public var term: String {
        switch self {
        case .ascii: "ISO_IR 6"
        case .latin1: "ISO_IR 100"
        case .latin2: "ISO_IR 101"
        case .utf8: "ISO_IR 192"
        }
    }

    /// Bytes as text. The default repertoire is read leniently: systems that declare no set
    /// but send UTF-8 (or Latin-1) are common, so valid UTF-8 is taken as such, else Latin-1.
    public func decode(_ bytes: [UInt8]) -> String {
        switch self {
        case .utf8: String(decoding: bytes, as: UTF8.self)
        case .latin1: String(bytes: bytes, encoding: .isoLatin1) ?? ""
        case .latin2: String(bytes: bytes, encoding: .isoLatin2) ?? String(bytes: bytes, encoding: .isoLatin1) ?? ""
        case .ascii: String(validating: bytes, as: UTF8.self) ?? String(bytes: bytes, encoding: .isoLatin1) ?? ""
        }
    }
}

/// A cursor over a data set's bytes.
private struct DataSetReader {
    let bytes: [UInt8]
    let explicitVR: Bool
    var offset = 0

    private static let undefined = 0xFFFF_FFFF
    private static let maximumDepth = 16

    init(bytes: [UInt8], explicitVR: Bool) {
        self.bytes = bytes
        self.explicitVR = explicitVR
    }

    mutating func dataSet(until end: Int, depth: Int) throws(DecodingError) -> DataSet {
        guard depth <= Self.maximumDepth else { throw DecodingError(description: "sequences nested more than \(Self.maximumDepth) deep") }
        var set = DataSet()
        while offset < end {
            let tag = try self.tag()
            if tag == DICOMTag(0xFFFE, 0xE00D) {   // an undefined-length item ends
                _ = try uint32()
                return set
            }
            let vr: ValueRepresentation
            let length: Int
            if explicitVR {
                let code = try take(2)
                vr = ValueRepresentation(rawValue: String(decoding: code, as: UTF8.self)) ?? .UN
                let long = vr.hasLongLength || ValueRepresentation(rawValue: String(decoding: code, as: UTF8.self)) == nil
                if long {
                    _ = try take(2)
                    length = try uint32()
                } else {
                    length = try uint16()
                }
            } else {
                vr = tag.implicitVR
                length = try uint32()
            }
            if tag == .pixelData, length == Self.undefined, vr != .SQ {
                // Encapsulated pixel data (PS3.5 A.4): the offset table, then the fragments.
                set.set(DataElement(tag: tag, vr: vr == .UN ? .OB : vr, value: .fragments(try fragments())))
            } else if vr == .SQ || length == Self.undefined || (vr == .UN && startsWithItem(length: length)) {
                let items = try self.items(length: length, depth: depth, tag: tag)
                set.set(DataElement(tag: tag, vr: .SQ, value: .items(items)))
            } else {
                guard offset + length <= end else {
                    throw DecodingError(description: "\(tag) says it holds \(length) bytes but only \(end - offset) are left")
                }
                set.set(DataElement(tag: tag, vr: vr, value: .bytes(Array(bytes[offset..<offset + length]))))
                offset += length
            }
        }
        guard offset == end else { throw DecodingError(description: "an item ran past the end of its sequence") }
        return set
    }

    /// The fragments of encapsulated pixel data, without the basic offset table (as
    /// ``DataElement/Value/fragments`` holds them), up to the sequence delimitation item.
    private mutating func fragments() throws(DecodingError) -> [[UInt8]] {
        var found: [[UInt8]] = []
        var first = true
        while true {
            let itemTag = try tag()
            let length = try uint32()
            if itemTag == DICOMTag(0xFFFE, 0xE0DD) { return found }
            guard itemTag == DICOMTag(0xFFFE, 0xE000), length != Self.undefined else {
                throw DecodingError(description: "encapsulated pixel data holds \(itemTag) where a fragment belongs")
            }
            let bytes = Array(try take(length))
            if !first { found.append(bytes) }
            first = false
        }
    }

    private func startsWithItem(length: Int) -> Bool {
        length >= 8 && offset + 4 <= bytes.count && bytes[offset..<offset + 4].elementsEqual([0xFE, 0xFF, 0x00, 0xE0])
    }

    private mutating func items(length: Int, depth: Int, tag: DICOMTag) throws(DecodingError) -> [DataSet] {
        let end = length == Self.undefined ? bytes.count : offset + length
        guard end <= bytes.count else { throw DecodingError(description: "sequence \(tag) says it holds \(length) bytes but only \(bytes.count - offset) are left") }
        var items: [DataSet] = []
        while offset < end {
            let itemTag = try self.tag()
            let itemLength = try uint32()
            if itemTag == DICOMTag(0xFFFE, 0xE0DD) { return items }   // an undefined-length sequence ends
            guard itemTag == DICOMTag(0xFFFE, 0xE000) else { throw DecodingError(description: "sequence \(tag) holds \(itemTag) where an item belongs") }
            if itemLength == Self.undefined {
                items.append(try dataSet(until: end, depth: depth + 1))
            } else {
                guard offset + itemLength <= end else { throw DecodingError(description: "an item of \(tag) runs past its sequence") }
                items.append(try dataSet(until: offset + itemLength, depth: depth + 1))
            }
        }
        guard length != Self.undefined else { throw DecodingError(description: "sequence \(tag) has no end (no sequence delimitation item)") }
        return items
    }

    private mutating func take(_ count: Int) throws(DecodingError) -> ArraySlice<UInt8> {
        guard offset + count <= bytes.count else { throw DecodingError(description: "the data set ends in the middle of an attribute at byte \(offset)") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func uint16() throws(DecodingError) -> Int {
        let raw = try take(2)
        return Int(raw[raw.startIndex]) | Int(raw[raw.startIndex + 1]) << 8
    }

    private mutating func uint32() throws(DecodingError) -> Int {
        let low = try uint16()
        return low | (try uint16()) << 16
    }

    private mutating func tag() throws(DecodingError) -> DICOMTag {
        let group = try uint16()
        return DICOMTag(UInt16(group), UInt16(try uint16()))
    }
}
