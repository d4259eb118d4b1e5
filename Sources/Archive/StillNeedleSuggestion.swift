import Foundation
import Records

/// The needle detector's result for one still, as the archive keeps it.
public struct StillNeedleSuggestion: Sendable, Equatable {
    public let stillID: UUID
    /// The detector and version that looked (``NeedleSuggestion/detector``).
    public let detector: String
    public let computedAt: Date
    /// Nil: the detector found no needle it was sure of.
    public let suggestion: NeedleSuggestion?

    public init(stillID: UUID, detector: String, computedAt: Date, suggestion: NeedleSuggestion?) {
        self.stillID = stillID
        self.detector = detector
        self.computedAt = computedAt
        self.suggestion = suggestion
    }
}
