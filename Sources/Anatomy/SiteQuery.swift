import Foundation

/// A search for stills or injections by site, as in "every L5-S1 still".
///
/// A tag and the query each cover a run of vertebrae (see ``AnatomicSite/span``);
/// they match when the runs overlap, which is the same test the archive runs on
/// ``AnatomicSite/spanLow`` and ``AnatomicSite/spanHigh``. `L4` finds `L4`,
/// `L3-L4`, `L4-L5` and `L3-S1`; with ``exactOnly`` it finds only `L4`. A region
/// query (`lumbar`) covers its levels (L1-L5). A sternum query finds only sternum tags.
///
/// When the query has a side, a tag must share it: a left query finds left and
/// bilateral tags and tags recorded without a side, never right ones.
public struct SiteQuery: Hashable, Sendable {
    /// The site searched for.
    public var site: AnatomicSite
    /// Whether only tags naming the same place count (the CLI's `--exact`).
    public var exactOnly: Bool

    public init(_ site: AnatomicSite, exactOnly: Bool = false) {
        self.site = site
        self.exactOnly = exactOnly
    }

    /// A query from text, read by ``AnatomicSite/init(parsing:options:)``.
    /// - Throws: ``AnatomyParseError`` when the text is not a site.
    public init(
        parsing text: String, exactOnly: Bool = false, options: AnatomyParsingOptions = .standard
    ) throws(AnatomyParseError) {
        self.init(try AnatomicSite(parsing: text, options: options), exactOnly: exactOnly)
    }

    /// How well `tag` answers the query, or `nil` if it does not match.
    public func match(_ tag: AnatomicSite) -> SiteMatch? {
        if let wanted = site.laterality, let side = tag.laterality, !wanted.overlaps(side) { return nil }
        guard site.searchInterval.overlaps(tag.searchInterval) else { return nil }
        let isExact = tag.location == site.location
        guard isExact || !exactOnly else { return nil }
        let tagUnits = tag.coverageUnits
        // A transitional level inside a tag's interval can make the overlap count one
        // unit more than the tag's own levels; coverage never exceeds the whole tag.
        let covered = min(tag.unitsCovered(by: site), tagUnits)
        return SiteMatch(isExact: isExact, coveredUnits: covered, tagUnits: tagUnits)
    }

    /// Whether `tag` answers the query at all.
    public func matches(_ tag: AnatomicSite) -> Bool { match(tag) != nil }
}
