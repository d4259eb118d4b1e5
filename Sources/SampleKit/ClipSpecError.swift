/// A clip spec that cannot make a sound sample, with what is wrong and what would be right.
public struct ClipSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var clip: String
    public var message: String

    public init(clip: String, message: String) {
        self.clip = clip
        self.message = message
    }

    public var description: String { "clip \(clip): \(message)" }
}
