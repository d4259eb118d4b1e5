import Foundation

/// A DICOM data set: attributes by tag, written in ascending tag order whatever
/// order they were set in. A value type, so a builder can start from a shared part
/// (patient, study) and add its own attributes.
public struct DataSet: Sendable, Equatable {
    private(set) var elements: [DICOMTag: DataElement] = [:]

    public init() {}

    /// Every attribute, in the order they are written.
    public var sortedElements: [DataElement] {
        elements.keys.sorted().map { elements[$0]! }
    }

    public subscript(tag: DICOMTag) -> DataElement? {
        elements[tag]
    }

    /// The text of an attribute, if it is present and text.
    public func text(_ tag: DICOMTag) -> String? {
        elements[tag]?.text
    }

    public mutating func remove(_ tag: DICOMTag) {
        elements[tag] = nil
    }

    public mutating func set(_ element: DataElement) {
        elements[element.tag] = element
    }

    /// Text values, joined with DICOM's value separator. Pass none for an empty
    /// (zero-length) Type 2 attribute.
    public mutating func set(_ tag: DICOMTag, _ vr: ValueRepresentation, _ values: String...) {
        set(tag, vr, values: values)
    }

    public mutating func set(_ tag: DICOMTag, _ vr: ValueRepresentation, values: [String]) {
        precondition(vr.isText, "\(vr) is not a text VR")
        set(DataElement(tag: tag, vr: vr, value: .bytes(Array(values.joined(separator: "\\").utf8))))
    }

    /// US values.
    public mutating func set(_ tag: DICOMTag, uint16 values: UInt16...) {
        set(tag, uint16: values)
    }

    public mutating func set(_ tag: DICOMTag, uint16 values: [UInt16]) {
        set(DataElement(tag: tag, vr: .US, value: .bytes(values.flatMap { Self.littleEndian($0) })))
    }

    /// UL values.
    public mutating func set(_ tag: DICOMTag, uint32 values: UInt32...) {
        set(DataElement(tag: tag, vr: .UL, value: .bytes(values.flatMap { Self.littleEndian($0) })))
    }

    /// SL values.
    public mutating func set(_ tag: DICOMTag, int32 values: Int32...) {
        set(DataElement(tag: tag, vr: .SL, value: .bytes(values.flatMap { Self.littleEndian(UInt32(bitPattern: $0)) })))
    }

    /// FL values.
    public mutating func set(_ tag: DICOMTag, float32 values: [Float]) {
        set(DataElement(tag: tag, vr: .FL, value: .bytes(values.flatMap { Self.littleEndian($0.bitPattern) })))
    }

    /// FD values.
    public mutating func set(_ tag: DICOMTag, float64 values: Double...) {
        set(DataElement(tag: tag, vr: .FD, value: .bytes(values.flatMap { Self.littleEndian($0.bitPattern) })))
    }

    /// An AT value: the tag another attribute points at (Frame Increment Pointer).
    public mutating func set(_ tag: DICOMTag, tag pointed: DICOMTag) {
        set(DataElement(tag: tag, vr: .AT, value: .bytes(Self.littleEndian(pointed.group) + Self.littleEndian(pointed.element))))
    }

    /// OB or OW bytes, such as pixel data.
    public mutating func set(_ tag: DICOMTag, _ vr: ValueRepresentation, bytes: [UInt8]) {
        precondition(vr == .OB || vr == .OW, "raw bytes go in OB or OW, not \(vr)")
        set(DataElement(tag: tag, vr: vr, value: .bytes(bytes)))
    }

    /// A sequence; an empty array is a zero-length Type 2 sequence.
    public mutating func set(_ tag: DICOMTag, items: [DataSet]) {
        set(DataElement(tag: tag, vr: .SQ, value: .items(items)))
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
