/// The one error Media throws: what went wrong, in words that say what would be
/// right, with FFmpeg's (or libpng's) own code and text and the path involved.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem, for callers that react differently to each.
    public enum Kind: String, Sendable, Codable {
        case notFound
        case isDirectory
        case emptyFile
        case permissionDenied
        case notMedia
        case noVideoStream
        case truncated
        case corruptData
        case tooLarge
        case deviceNotFound
        case deviceBusy
        case notADevice
        case unsupported
        case invalidArgument
        case outOfMemory
        case diskFull
        case io
        case ffmpeg
    }

    public let kind: Kind
    /// FFmpeg's negative AVERROR code, libpng shim status, or 0 when neither was involved.
    public let code: Int32
    /// What was wrong and, where it helps, what would be right.
    public let message: String
    /// The file, device or pipe the operation was about.
    public let path: String?
    /// FFmpeg's own explanation (`av_strerror`, or the error line it logged), when there is one.
    public let detail: String?

    public init(_ kind: Kind, _ message: String, path: String? = nil, code: Int32 = 0, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.code = code
        self.detail = detail
    }

    public var description: String {
        var text = path.map { "\($0): \(message)" } ?? message
        if let detail, !detail.isEmpty, !message.contains(detail) {
            text += " (\(detail))"
        }
        return text
    }
}
