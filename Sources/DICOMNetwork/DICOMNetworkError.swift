/// Why talking to a DICOM peer failed, in words that say what to check.
public struct DICOMNetworkError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// An address or AE title that does not read.
        case invalid
        /// Nothing listens there, or the network does not reach it.
        case unreachable
        /// The peer did not answer within the time allowed.
        case timeout
        /// The peer refused the association (its reason given).
        case rejected
        /// The peer accepted none of the services asked for.
        case noAcceptedContext = "no-accepted-context"
        /// The peer (or the network) broke the association off.
        case aborted
        /// The peer sent something that is not DICOM as PS3.8 says.
        case protocolError = "protocol"
        /// The peer answered the request with a failure status.
        case failed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
