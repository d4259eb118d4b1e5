import Foundation

/// A file's path relative to the archive's root, such as a session's recording
/// (`recordings/2024/3F2A.mkv`).
///
/// Kept relative so the archive can move, and refused when it could reach
/// outside the archive: no leading `/`, no `.` or `..` parts, no empty parts, no
/// control characters. Codable as the path text.
public struct ArchivePath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The path, parts separated by `/`.
    public let value: String

    /// - Throws: ``RecordError`` when the path is empty, absolute, or has an
    ///   empty, `.` or `..` part or a control character.
    public init(_ text: String) throws(RecordError) {
        guard !text.isEmpty else { throw .empty(.archivePath) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let partsAreNames = parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        guard partsAreNames, text.allSatisfy(TextRules.isPrintable) else { throw .malformed(.archivePath, text: text) }
        value = text
    }

    /// The parts of the path, outermost folder first.
    public var components: [String] { value.split(separator: "/").map(String.init) }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension ArchivePath: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try validated(decoder) { () throws(RecordError) in try ArchivePath(text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
