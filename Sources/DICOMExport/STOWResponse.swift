import Foundation

/// A STOW-RS Store Instances Response (PS3.18 10.5.3) in DICOM JSON: which SOP
/// instances the server stored, with any Warning Reason, and which it failed, with the
/// Failure Reason.
struct STOWResponse {
    /// Referenced SOP Sequence (0008,1199): SOP Instance UID → Warning Reason (0008,1196), if any.
    var stored: [String: UInt16?] = [:]
    /// Failed SOP Sequence (0008,1198): SOP Instance UID → Failure Reason (0008,1197), if given.
    var failed: [String: UInt16?] = [:]

    /// Nil when `data` is not a DICOM JSON object (an empty body, XML, an HTML error page).
    init?(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        for item in Self.items(object["00081199"]) {
            if let uid = Self.uid(item) { stored[uid] = Self.code(item["00081196"]) }
        }
        for item in Self.items(object["00081198"]) {
            if let uid = Self.uid(item) { failed[uid] = Self.code(item["00081197"]) }
        }
    }

    private static func items(_ sequence: Any?) -> [[String: Any]] {
        ((sequence as? [String: Any])?["Value"] as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }

    /// Referenced SOP Instance UID (0008,1155).
    private static func uid(_ item: [String: Any]) -> String? {
        ((item["00081155"] as? [String: Any])?["Value"] as? [Any])?.first as? String
    }

    /// A US value; some servers write it as a number, a few as a hex string.
    private static func code(_ element: Any?) -> UInt16? {
        guard let value = ((element as? [String: Any])?["Value"] as? [Any])?.first else { return nil }
        if let number = value as? NSNumber { return UInt16(truncatingIfNeeded: number.intValue) }
        if let text = value as? String { return UInt16(text, radix: 16) ?? UInt16(text) }
        return nil
    }

    /// `0x0110 (processing failure)`: the code in the hex the standard writes, and its meaning
    /// (PS3.4 Table B.2-1 and PS3.18 Table 10.5.3-2).
    static func describe(_ code: UInt16) -> String {
        let hex = "0x" + String(code, radix: 16, uppercase: true).leftPadded(to: 4)
        let meaning: String? = switch code {
        case 0x0110: "processing failure"
        case 0x0117: "invalid SOP Instance"
        case 0x0119: "SOP Class and Instance conflict"
        case 0x0122: "SOP Class not supported"
        case 0x0124: "not authorised"
        case 0xA700...0xA7FF: "out of resources"
        case 0xA900...0xA9FF: "data set does not match SOP Class"
        case 0xB000: "coercion of data elements"
        case 0xB006: "elements discarded"
        case 0xB007: "data set does not match SOP Class"
        case 0xC122: "transfer syntax not supported"
        case 0xC000...0xCFFF: "cannot understand"
        default: nil
        }
        return meaning.map { "\(hex) (\($0))" } ?? hex
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
