/// A DIMSE command (PS3.7 section 9.3, annex E): group 0000 elements in implicit VR little
/// endian, whatever the data sets' transfer syntax.
struct CommandSet: Equatable {
    /// Elements by element number (the group is always 0000), values as bytes.
    private(set) var elements: [UInt16: [UInt8]] = [:]

    static let affectedSOPClass: UInt16 = 0x0002
    static let requestedSOPClass: UInt16 = 0x0003
    static let commandField: UInt16 = 0x0100
    static let messageID: UInt16 = 0x0110
    static let respondedTo: UInt16 = 0x0120
    static let priority: UInt16 = 0x0700
    static let dataSetType: UInt16 = 0x0800
    static let status: UInt16 = 0x0900
    static let errorComment: UInt16 = 0x0902
    static let affectedSOPInstance: UInt16 = 0x1000
    static let requestedSOPInstance: UInt16 = 0x1001
    static let eventTypeID: UInt16 = 0x1002
    static let actionTypeID: UInt16 = 0x1008

    /// (0000,0800) when no data set follows.
    static let noDataSet: UInt16 = 0x0101
    /// (0000,0800) when one does (PS3.7 E.1: any value but 0x0101).
    static let dataSetPresent: UInt16 = 0x0102

    init() {}

    mutating func set(_ element: UInt16, uid: String) {
        var raw = Array(uid.utf8)
        if raw.count % 2 == 1 { raw.append(0) }
        elements[element] = raw
    }

    mutating func set(_ element: UInt16, uint16 value: UInt16) {
        elements[element] = [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    func uint16(_ element: UInt16) -> UInt16? {
        guard let raw = elements[element], raw.count >= 2 else { return nil }
        return UInt16(raw[0]) | UInt16(raw[1]) << 8
    }

    func text(_ element: UInt16) -> String? {
        elements[element].map { ByteReader.text($0) }
    }

    /// The bytes, with (0000,0000) the group's length first.
    func encoded() -> [UInt8] {
        var rest: [UInt8] = []
        for (element, value) in elements.sorted(by: { $0.key < $1.key }) where element != 0 {
            rest += Self.header(element, length: value.count) + value
        }
        let length = UInt32(rest.count)
        return Self.header(0x0000, length: 4) + [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)] + rest
    }

    private static func header(_ element: UInt16, length: Int) -> [UInt8] {
        [0, 0, UInt8(element & 0xFF), UInt8(element >> 8),
         UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
    }

    init(decoding bytes: [UInt8]) throws(DICOMNetworkError) {
        var offset = 0
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { throw DICOMNetworkError(.protocolError, "the peer sent a command cut short") }
            let group = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
            let element = UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
            let length = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            offset += 8
            guard group == 0, length >= 0, offset + length <= bytes.count else {
                throw DICOMNetworkError(.protocolError, "the peer sent a command with an element outside group 0000 or longer than the command")
            }
            elements[element] = Array(bytes[offset..<offset + length])
            offset += length
        }
    }
}
