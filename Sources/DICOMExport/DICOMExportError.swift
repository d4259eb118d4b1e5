/// Why an export or push failed, in words that say what would be right.
public struct DICOMExportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A session, still or file asked for does not exist.
        case notFound
        /// An argument or configuration is wrong.
        case invalid
        /// The output folder or a file could not be written.
        case storage
        /// The PACS could not be reached, or refused an object.
        case server
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
