/// A DICOM attribute tag, (group,element). Ordered as a data set must be written:
/// by group, then element.
public struct DICOMTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.group, lhs.element) < (rhs.group, rhs.element)
    }

    /// `(0010,0010)`, as the standard and dcmdump write it.
    public var description: String {
        "(" + Self.hex(group) + "," + Self.hex(element) + ")"
    }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
