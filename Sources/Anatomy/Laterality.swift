import Foundation

/// The side of the body a site or injection is on.
///
/// Codable as its raw value (`"left"`).
public enum Laterality: String, CaseIterable, Hashable, Sendable, Codable {
    case left
    case right
    case bilateral
    /// On the midline, for unpaired structures such as the interspinous ligament.
    case midline

    /// Whether two sides share any part of the body: `bilateral` shares with `left`
    /// and `right`; `midline` only with itself. Searching uses this, so that a
    /// query for the left SI joint finds bilateral injections too.
    public func overlaps(_ other: Laterality) -> Bool {
        !sides.isDisjoint(with: other.sides)
    }

    private enum Side { case left, right, middle }

    private var sides: Set<Side> {
        switch self {
        case .left: [.left]
        case .right: [.right]
        case .bilateral: [.left, .right]
        case .midline: [.middle]
        }
    }
}

extension Laterality: CustomStringConvertible {
    /// The side as the site parser reads it back: `left`.
    public var description: String { rawValue }
}
