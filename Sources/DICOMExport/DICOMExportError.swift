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

    /// What the person can change to put it right, named by each edge in its own words
    /// (the command line's flags), so the message names no flag.
    public enum Remedy: String, Sendable {
        /// Choose an output folder that can be written.
        case chooseOutputFolder
        /// Give the masks that cover the burned-in text (a scanner profile, rectangles), or
        /// export without cleaning the pixels.
        case coverBurnedInText
        /// Check the PACS's address (a DICOMweb root) and that it runs.
        case checkServer
        /// Export DICOM files first, then push that folder.
        case exportFirst
        /// Look the session up among those the archive has.
        case listSessions
        /// Check the archive's records against its files.
        case checkArchive
    }

    public let kind: Kind
    public let message: String
    public let remedy: Remedy?

    public init(_ kind: Kind, _ message: String, remedy: Remedy? = nil) {
        self.kind = kind
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }
}
