import Foundation

/// A written Part 10 file split where the tests need it: the header (everything
/// before the pixel data) and the pixel bytes.
struct PartTenBytes {
    let header: Data
    let pixels: [UInt8]

    init(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        // (7FE0,0010) OB, two reserved bytes, a 32-bit length: always the last element written.
        let marker = Data([0xE0, 0x7F, 0x10, 0x00, 0x4F, 0x42, 0, 0])
        if let range = data.range(of: marker, options: .backwards) {
            header = data[..<range.lowerBound]
            pixels = Array(data[(range.upperBound + 4)...])
        } else {
            header = data
            pixels = []
        }
    }

    func headerContains(_ text: String) -> Bool {
        header.range(of: Data(text.utf8)) != nil
    }

    /// Whether the header holds `text` anywhere but inside a `2.25.` UID: those are
    /// 39 digits from a hash of fresh ids, so a short number such as a birth year
    /// turns up in one by chance in a few runs out of a hundred.
    func headerContainsOutsideUIDs(_ text: String) -> Bool {
        let latin1 = String(decoding: header.map { UInt16($0) }, as: UTF16.self)
        return latin1.replacingOccurrences(of: "2\\.25\\.[0-9]+", with: "", options: .regularExpression).contains(text)
    }
}
