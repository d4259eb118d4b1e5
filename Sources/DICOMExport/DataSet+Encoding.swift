import Foundation

/// How sequences and their items are delimited. Both are valid explicit VR little
/// endian; readers must accept either, so the tests write both.
public enum SequenceLength: Sendable {
    /// Each sequence and item carries its byte length.
    case defined
    /// 0xFFFFFFFF lengths closed by item and sequence delimitation items.
    case undefined
}

/// Why a data set cannot be written.
public struct EncodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension DataSet {
    /// The data set in explicit VR little endian (PS3.5 7.1.2), every value padded
    /// to even length.
    public func encoded(sequences: SequenceLength = .defined) throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        for element in sortedElements {
            try Self.append(element, sequences: sequences, to: &out)
        }
        return out
    }

    private static let undefinedLength: UInt32 = 0xFFFF_FFFF
    private static let item = DICOMTag(0xFFFE, 0xE000)
    private static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
    private static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)

    private static func append(_ element: DataElement, sequences: SequenceLength, to out: inout [UInt8]) throws(EncodingError) {
        let payload: [UInt8]
        var length: UInt32
        switch element.value {
        case .bytes(let bytes):
            payload = bytes.count.isMultiple(of: 2) ? bytes : bytes + [element.vr.paddingByte]
            if element.vr.hasLongLength {
                guard payload.count < Int(undefinedLength) else {
                    throw EncodingError(description: "\(element.tag) holds \(payload.count) bytes, more than a DICOM value can")
                }
            } else if payload.count > Int(UInt16.max) {
                throw EncodingError(description: "\(element.tag) (\(element.vr)) holds \(payload.count) bytes; its VR allows at most 65534")
            }
            length = UInt32(payload.count)
        case .fragments(let fragments):
            payload = Self.encapsulated(fragments)
            length = undefinedLength
        case .items(let items):
            var body: [UInt8] = []
            for item in items {
                let itemBytes = try item.encoded(sequences: sequences)
                appendTag(Self.item, to: &body)
                switch sequences {
                case .defined:
                    body += DataSet.littleEndian(UInt32(itemBytes.count))
                    body += itemBytes
                case .undefined:
                    body += DataSet.littleEndian(undefinedLength)
                    body += itemBytes
                    appendTag(itemDelimitation, to: &body)
                    body += [0, 0, 0, 0]
                }
            }
            switch sequences {
            case .defined:
                length = UInt32(body.count)
            case .undefined:
                length = undefinedLength
                appendTag(sequenceDelimitation, to: &body)
                body += [0, 0, 0, 0]
            }
            payload = body
        }
        appendTag(element.tag, to: &out)
        out += Array(element.vr.rawValue.utf8)
        if element.vr.hasLongLength {
            out += [0, 0]
            out += DataSet.littleEndian(length)
        } else {
            out += DataSet.littleEndian(UInt16(length))
        }
        out += payload
    }

    /// The Basic Offset Table (empty), each fragment as an item, the sequence delimiter.
    static func encapsulated(_ fragments: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        appendTag(item, to: &body)
        body += [0, 0, 0, 0]
        for fragment in fragments {
            let padded = fragment.count.isMultiple(of: 2) ? fragment : fragment + [0]
            appendTag(item, to: &body)
            body += DataSet.littleEndian(UInt32(padded.count))
            body += padded
        }
        appendTag(sequenceDelimitation, to: &body)
        body += [0, 0, 0, 0]
        return body
    }

    private static func appendTag(_ tag: DICOMTag, to out: inout [UInt8]) {
        out += DataSet.littleEndian(tag.group)
        out += DataSet.littleEndian(tag.element)
    }
}
