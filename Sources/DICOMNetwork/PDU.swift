import Foundation

/// The upper layer's protocol data units (PS3.8 section 9.3), as bytes on the wire.
enum PDU: Equatable {
    case associateRequest(AssociationRequest)
    case associateAccept(AssociationAccept)
    case associateReject(result: UInt8, source: UInt8, reason: UInt8)
    case data([PresentationDataValue])
    case releaseRequest
    case releaseResponse
    case abort(source: UInt8, reason: UInt8)

    /// The largest PDU NeedleLog accepts from a peer (its own maximum, announced when it asks).
    static let maximumLength = 1 << 20

    /// The PDU's bytes: type, a reserved byte, the length (big endian), the body.
    func encoded() -> [UInt8] {
        var body = Bytes()
        let type: UInt8
        switch self {
        case .associateRequest(let request):
            type = 0x01
            request.encodeBody(into: &body)
        case .associateAccept(let accept):
            type = 0x02
            accept.encodeBody(into: &body)
        case .associateReject(let result, let source, let reason):
            type = 0x03
            body.append([0, result, source, reason])
        case .data(let values):
            type = 0x04
            for value in values {
                body.appendUInt32(UInt32(value.fragment.count + 2))
                body.append([value.contextID, (value.isCommand ? 0x01 : 0) | (value.isLast ? 0x02 : 0)])
                body.append(value.fragment)
            }
        case .releaseRequest:
            type = 0x05
            body.append([0, 0, 0, 0])
        case .releaseResponse:
            type = 0x06
            body.append([0, 0, 0, 0])
        case .abort(let source, let reason):
            type = 0x07
            body.append([0, 0, source, reason])
        }
        var out = Bytes()
        out.append([type, 0])
        out.appendUInt32(UInt32(body.bytes.count))
        out.append(body.bytes)
        return out.bytes
    }

    /// Reads one PDU of `type` from its body.
    static func decode(type: UInt8, body: [UInt8]) throws(DICOMNetworkError) -> PDU {
        var reader = ByteReader(body)
        switch type {
        case 0x01: return .associateRequest(try AssociationRequest(body: &reader))
        case 0x02: return .associateAccept(try AssociationAccept(body: &reader))
        case 0x03:
            try reader.skip(1)
            return .associateReject(result: try reader.uint8(), source: try reader.uint8(), reason: try reader.uint8())
        case 0x04:
            var values: [PresentationDataValue] = []
            while !reader.isAtEnd {
                let length = Int(try reader.uint32())
                guard length >= 2 else { throw DICOMNetworkError(.protocolError, "the peer sent a presentation data value of \(length) bytes (at least 2)") }
                let context = try reader.uint8(), header = try reader.uint8()
                values.append(PresentationDataValue(contextID: context, isCommand: header & 0x01 != 0, isLast: header & 0x02 != 0,
                                                    fragment: try reader.bytes(length - 2)))
            }
            return .data(values)
        case 0x05: return .releaseRequest
        case 0x06: return .releaseResponse
        case 0x07:
            try reader.skip(2)
            return .abort(source: try reader.uint8(), reason: try reader.uint8())
        default:
            throw DICOMNetworkError(.protocolError, String(format: "the peer sent an unknown PDU type 0x%02X: it may not be a DICOM service", type))
        }
    }

    /// Why an association was rejected, in PS3.8's words (table 9-21).
    static func rejection(result: UInt8, source: UInt8, reason: UInt8) -> String {
        let why: String
        switch (source, reason) {
        case (1, 2): why = "application context name not supported"
        case (1, 3): why = "calling AE title not recognized: the peer must be told NeedleLog's AE title"
        case (1, 7): why = "called AE title not recognized: check the peer's AE title"
        case (1, _): why = "no reason given by the peer"
        case (2, 2): why = "protocol version not supported"
        case (2, _): why = "no reason given by the peer's association service"
        case (3, 1): why = "the peer is too busy (temporary congestion): try again later"
        case (3, 2): why = "the peer's limit of associations is reached: try again later"
        default: why = "reason \(reason) from source \(source)"
        }
        return (result == 2 ? "transiently" : "permanently") + ": " + why
    }

    /// Why an association was aborted (PS3.8 table 9-26).
    static func abortion(source: UInt8, reason: UInt8) -> String {
        guard source == 2 else { return "the peer aborted the association" }
        switch reason {
        case 1: return "the peer aborted: it did not recognise a PDU"
        case 2: return "the peer aborted: a PDU came unexpectedly"
        case 4: return "the peer aborted: a PDU parameter it did not recognise"
        case 5: return "the peer aborted: a PDU came unexpectedly"
        case 6: return "the peer aborted: a PDU parameter was invalid"
        default: return "the peer's association service aborted (no reason given)"
        }
    }
}

/// A fragment of a command or data set on one presentation context (PS3.8 section 9.3.5.1).
struct PresentationDataValue: Equatable {
    var contextID: UInt8
    var isCommand: Bool
    var isLast: Bool
    var fragment: [UInt8]
}

/// Bytes built big endian, as the upper layer's headers are.
struct Bytes {
    var bytes: [UInt8] = []

    mutating func append(_ more: [UInt8]) { bytes += more }
    mutating func appendUInt16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func appendUInt32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    /// A variable item: type, reserved, 2-byte length, value.
    mutating func appendItem(_ type: UInt8, _ value: [UInt8]) {
        bytes += [type, 0]
        appendUInt16(UInt16(value.count))
        bytes += value
    }
    /// The fixed fields an A-ASSOCIATE-RQ and -AC begin with: protocol version 1, both AE
    /// titles, 32 reserved bytes, then the application context item.
    mutating func appendHeader(called: String, calling: String) {
        appendUInt16(1)
        append([0, 0])
        appendTitle(called)
        appendTitle(calling)
        append([UInt8](repeating: 0, count: 32))
        appendItem(0x10, Array(AssociationRequest.applicationContext.utf8))
    }

    /// An AE title field: 16 bytes, padded with spaces.
    mutating func appendTitle(_ title: String) {
        let raw = Array(title.utf8.prefix(16))
        bytes += raw + [UInt8](repeating: 0x20, count: 16 - raw.count)
    }
}

/// Reads big-endian fields, refusing to read past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func uint8() throws(DICOMNetworkError) -> UInt8 { try bytes(1)[0] }
    mutating func uint16() throws(DICOMNetworkError) -> UInt16 {
        let b = try bytes(2)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }
    mutating func uint32() throws(DICOMNetworkError) -> UInt32 {
        let b = try bytes(4)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }
    mutating func skip(_ count: Int) throws(DICOMNetworkError) { _ = try bytes(count) }
    /// The fixed fields an A-ASSOCIATE-RQ and -AC begin with (``Bytes/appendHeader(called:calling:)``):
    /// the AE titles, past the protocol version and the reserved bytes.
    mutating func associateHeader() throws(DICOMNetworkError) -> (called: String, calling: String) {
        try skip(4)
        let called = ByteReader.text(try bytes(16))
        let calling = ByteReader.text(try bytes(16))
        try skip(32)
        return (called, calling)
    }
    /// A variable item or sub-item: its type, a reserved byte, a 2-byte length, its value.
    mutating func item() throws(DICOMNetworkError) -> (type: UInt8, value: ByteReader) {
        let type = try uint8()
        try skip(1)
        return (type, ByteReader(try bytes(Int(try uint16()))))
    }
    mutating func bytes(_ count: Int) throws(DICOMNetworkError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else {
            throw DICOMNetworkError(.protocolError, "the peer sent a PDU shorter than its fields say (\(count) bytes wanted at \(offset) of \(bytes.count))")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
    /// A UID or name field: trailing NULs and spaces dropped.
    static func text(_ raw: [UInt8]) -> String {
        String(decoding: raw, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\0 "))
    }
}
