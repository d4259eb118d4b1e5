/// Why a workflow refused or failed, in the clinic's words: what was wrong and what would be
/// right, with no route, status code or command-line flag in it. The edges map the kind once
/// each: the server to an HTTP status (`ErrorBodyMiddleware`), the CLI to its message.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input is not what the workflow takes (a malformed id, an impossible treatment).
        case invalid
        /// A record the request names does not exist.
        case notFound
        /// The state does not allow it now (a session already recording, a part continued already).
        case conflict
        /// The archive's disk has no room left for it.
        case insufficientStorage
        /// A device or service it needs is not there or not answering (the capture source).
        case unavailable
        /// A stored record cannot serve what was asked (an old revision drawn outside its still).
        case unusable
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
