import Foundation

/// How well a tagged site answers a site query.
///
/// Matches rank exact ones first, then by how much of the tag the query covers:
/// a search for `L4` ranks an `L4` tag first, then `L3-L4` and `L4-L5` (half of
/// each is L4), then `L3-S1` (a quarter).
public struct SiteMatch: Hashable, Sendable {
    /// Whether the tag names the same place as the query (sides aside).
    public let isExact: Bool
    /// How many of the tag's vertebrae the query covers.
    public let coveredUnits: Int
    /// How many vertebrae the tag covers (one for the sternum).
    public let tagUnits: Int

    /// The fraction of the tag the query covers, in (0, 1].
    public var coverage: Double { Double(coveredUnits) / Double(tagUnits) }

    /// Whether this match ranks strictly above `other`; fractions are compared
    /// exactly, by cross-multiplying, so equal coverages tie.
    public func ranksAbove(_ other: SiteMatch) -> Bool {
        if isExact != other.isExact { return isExact }
        return coveredUnits * other.tagUnits > other.coveredUnits * tagUnits
    }
}
