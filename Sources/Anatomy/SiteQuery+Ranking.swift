import Foundation

extension SiteQuery {
    /// The items whose site matches, best first: exact matches, then by how much
    /// of the item's site the query covers, then newest first.
    ///
    /// - Parameters:
    ///   - site: the tagged site of an item.
    ///   - date: when an item was taken; later dates rank higher among equals.
    public func rank<Item>(
        _ items: some Sequence<Item>, site: (Item) -> AnatomicSite, date: (Item) -> Date
    ) -> [Item] {
        rank(items, site: site, by: { date($0) > date($1) })
    }

    /// The items whose site matches, best first: exact matches, then by coverage,
    /// then by the caller's order, then in the order given.
    ///
    /// - Parameters:
    ///   - site: the tagged site of an item.
    ///   - areInIncreasingOrder: the tie-breaker among matches of equal rank; return
    ///     `true` when the first item should come first.
    public func rank<Item>(
        _ items: some Sequence<Item>, site: (Item) -> AnatomicSite, by areInIncreasingOrder: (Item, Item) -> Bool
    ) -> [Item] {
        let matched = items.enumerated().compactMap { offset, item in
            match(site(item)).map { (offset: offset, item: item, match: $0) }
        }
        return matched.sorted { lhs, rhs in
            if lhs.match.ranksAbove(rhs.match) { return true }
            if rhs.match.ranksAbove(lhs.match) { return false }
            if areInIncreasingOrder(lhs.item, rhs.item) { return true }
            if areInIncreasingOrder(rhs.item, lhs.item) { return false }
            // Equal in every respect: keep the caller's order, so results are stable.
            return lhs.offset < rhs.offset
        }.map(\.item)
    }
}
