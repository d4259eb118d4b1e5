import Foundation

/// Choices that change what the anatomy parsers accept.
public struct AnatomyParsingOptions: Hashable, Sendable {
    /// Whether T13 and L6 are accepted. Off by default so that a typo such as `L6`
    /// for `L5` is caught; turn it on only for a patient known to have such a level.
    public var allowsTransitionalLevels: Bool

    public init(allowsTransitionalLevels: Bool = false) {
        self.allowsTransitionalLevels = allowsTransitionalLevels
    }

    /// Ordinary anatomy: C1-C7, T1-T12, L1-L5, S1-S5, coccyx.
    public static let standard = AnatomyParsingOptions()

    /// Ordinary anatomy plus the transitional T13 and L6.
    public static let allowingTransitionalLevels = AnatomyParsingOptions(allowsTransitionalLevels: true)
}
