import Foundation

/// One attribute of a data set: its tag, VR and value.
public struct DataElement: Sendable, Equatable {
    /// A value is either bytes (already in little endian order, not yet padded) or
    /// the items of a sequence.
    public enum Value: Sendable, Equatable {
        case bytes([UInt8])
        case items([DataSet])
        /// Encapsulated pixel data (PS3.5 A.4): an empty Basic Offset Table, then these
        /// fragments as items, each padded to even length, in an OB of undefined length.
        case fragments([[UInt8]])
    }

    public let tag: DICOMTag
    public let vr: ValueRepresentation
    public let value: Value

    public init(tag: DICOMTag, vr: ValueRepresentation, value: Value) {
        self.tag = tag
        self.vr = vr
        self.value = value
    }

    /// The value as text, for text VRs; `nil` for binary values and sequences.
    public var text: String? {
        guard vr.isText, case .bytes(let bytes) = value else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The items, for a sequence.
    public var items: [DataSet]? {
        if case .items(let items) = value { return items }
        return nil
    }
}
