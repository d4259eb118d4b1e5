import Anatomy

/// One tagged site (a `still_site` row) that a site search matched, with how well.
struct MatchedSite {
    let site: String
    /// The stored side, empty for none.
    let side: String
    let match: SiteMatch
}

extension SiteQuery {
    /// The tagged sites this query matches, grouped by rank, best first: the stills of one
    /// class are merged by date, a class before the next. Both stores plan a site search on
    /// these, so they rank alike.
    func tieClasses(of candidates: [(site: String, side: String)], sites: inout SQLiteArchive.SiteCache) throws -> [[MatchedSite]] {
        var matched: [MatchedSite] = []
        for candidate in candidates {
            guard let match = self.match(try sites.site(location: candidate.site, side: candidate.side)) else { continue }
            matched.append(MatchedSite(site: candidate.site, side: candidate.side, match: match))
        }
        matched.sort { $0.match.ranksAbove($1.match) }
        var classes: [[MatchedSite]] = []
        for site in matched {
            if let first = classes.last?.first, !first.match.ranksAbove(site.match) {
                classes[classes.count - 1].append(site)
            } else {
                classes.append([site])
            }
        }
        return classes
    }
}
