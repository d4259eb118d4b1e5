/// Why voice commands cannot be listened to, in words for the person setting up the station.
public struct VoiceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The acoustic model or its dictionary is missing or unreadable.
        case model
        /// The recogniser refused the grammar or its settings.
        case recogniser
        /// A setting does not read.
        case invalid
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
