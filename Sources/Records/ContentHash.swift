import Foundation

/// The SHA-256 digest of a file's bytes, as 64 lowercase hexadecimal digits.
/// Stills are stored under this name, so the same image is never stored twice
/// and a damaged file shows itself.
///
/// Records does not hash (it imports only Foundation): the still store computes
/// the digest and hands it over.
/// Codable as the hex text.
public struct ContentHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 64 lowercase hexadecimal digits.
    public let hexDigits: String

    /// Reads 64 hexadecimal digits; capitals are accepted and stored lowercase,
    /// so a digest copied from any tool names the same file.
    /// - Throws: ``RecordError`` for any other text.
    public init(hexDigits text: String) throws(RecordError) {
        let lowered = text.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy(Self.isHexDigit) else {
            throw .malformed(.contentHash, text: text)
        }
        hexDigits = lowered
    }

    /// The hash from the digest's 32 bytes. Takes any byte sequence, so a
    /// swift-crypto `SHA256.Digest` can be passed as it is.
    ///
    /// - Throws: ``RecordError`` when there are not exactly 32 bytes.
    public init(digest: some Sequence<UInt8>) throws(RecordError) {
        let bytes = Array(digest)
        guard bytes.count == 32 else { throw .outOfRange(.digestLength, value: String(bytes.count)) }
        hexDigits = bytes.map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { hexDigits }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hexDigits < rhs.hexDigits }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}

extension ContentHash: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try validated(decoder) { () throws(RecordError) in try ContentHash(hexDigits: text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexDigits)
    }
}
