import Anatomy
import Foundation
import Records

extension PostgresArchive {
    /// Finds stills, best first, with the plans and ranking of ``SQLiteArchive/search(_:)``:
    /// a site query ranks the few hundred distinct tagged sites (found by span overlap in
    /// `still_site`'s GiST index) with Anatomy's matching, then reads each matching site's
    /// stills newest first from `still_by_site`, merging sites of equal rank by date; a
    /// patient or text search narrows by its own index and ranks what it found.
    public func search(_ query: StillSearch) async throws -> [StillSearchResult] {
        guard query.limit > 0 else { return [] }
        // No transaction: a later statement of a search seeing a still stored after the
        // first's is the same as searching a moment later.
        return try await self.query("search stills") { db in
            if query.patient != nil || query.text != nil {
                return try await Self.searchNarrowed(query, db)
            }
            if let site = query.site {
                return try await Self.searchBySite(site, query, db)
            }
            var sites = SQLiteArchive.SiteCache()
            return try await Self.fetch(db, filters: Self.filters(query), limit: query.limit, keysFirst: query.recordedBy != nil)
                .map { try Self.result(($0, nil), sites: &sites) }
        }
    }

    /// After the site catalogue, one statement per tie class while results are wanted (a
    /// level search's first class nearly always fills the page): each of the class's sites
    /// walked newest first in `still_by_site`, and the rows of those that make the cut.
    /// Round trips were the cost here (~0.25 ms each through the pool): a statement per
    /// site and a transaction around them put a level search's p99 at 8-12 ms on a million stills.
    private static func searchBySite(_ siteQuery: SiteQuery, _ query: StillSearch, _ db: PGSession) async throws -> [StillSearchResult] {
        let interval = siteQuery.site.searchInterval
        let candidates = try await db.rows("""
            SELECT site, side FROM still_site WHERE int8range(span_low, span_high, '[]') && int8range(?, ?, '[]')
            """, [interval.lowerBound, interval.upperBound])
        var sites = SQLiteArchive.SiteCache()
        let classes = try siteQuery.tieClasses(of: candidates.map { (try $0.get(0), try $0.get(1)) }, sites: &sites)
        let filters = Self.filters(query)
        let also = filters.clauses.map { " AND " + $0 }.joined()
        let newestFirst = "ORDER BY taken_at DESC, seq DESC LIMIT ?"
        var results: [StillSearchResult] = []
        for tieClass in classes where results.count < query.limit {
            let remaining = query.limit - results.count
            let chosen: String, values: [SQLValue]
            if tieClass.count <= SQLiteArchive.groupsWalkedOneByOne {
                chosen = """
                    SELECT w.* FROM unnest(?::text[], ?::text[]) AS g(site, side) CROSS JOIN LATERAL \
                    (SELECT seq AS c_seq, taken_at AS c_at FROM still WHERE site = g.site AND COALESCE(side, '') = g.side\(also) \(newestFirst)) w \
                    ORDER BY c_at DESC, c_seq DESC LIMIT ?
                    """
                values = [tieClass.map(\.site), tieClass.map(\.side)] + filters.values + [remaining, remaining]
            } else {
                // Many sites of one rank (a region's "entirely inside") hold a large share of
                // all stills: one walk of the date index keeping members finds them sooner.
                let members = Array(repeating: "(?, ?)", count: tieClass.count).joined(separator: ", ")
                chosen = """
                    SELECT seq AS c_seq, taken_at AS c_at FROM still \
                    WHERE (site, COALESCE(side, '')) IN (VALUES \(members))\(also) \(newestFirst)
                    """
                values = tieClass.flatMap { [$0.site, $0.side] as [SQLValue] } + filters.values + [remaining]
            }
            let rows = try await db.rows("""
                WITH chosen AS (\(chosen)) SELECT \(resultColumns) FROM chosen JOIN still ON still.seq = chosen.c_seq ORDER BY c_at DESC, c_seq DESC
                """, values)
            let match = tieClass[0].match
            results += try rows.map { try result(($0, match), sites: &sites) }
        }
        return results
    }

    private static func searchNarrowed(_ query: StillSearch, _ db: PGSession) async throws -> [StillSearchResult] {
        var filters = Self.filters(query)
        if let site = query.site {
            filters.clauses.append("span_low <= ? AND span_high >= ?")
            filters.values += [site.site.searchInterval.upperBound, site.site.searchInterval.lowerBound]
        }
        var sites = SQLiteArchive.SiteCache()
        guard let siteQuery = query.site else {
            return try await fetch(db, filters: filters, limit: query.limit, keysFirst: query.text != nil || query.recordedBy != nil)
                .map { try result(($0, nil), sites: &sites) }
        }
        let rows = try await fetchWhole(db, filters: filters, limit: 100_000)
        var matched: [(row: PGRow, match: SiteMatch)] = []
        for row in rows {
            guard let location = try row.get(4, as: String?.self),
                  let match = siteQuery.match(try sites.site(location: location, side: row.get(5))) else { continue }
            matched.append((row, match))
        }
        let keyed = try matched.map { (entry: $0, key: try key(of: $0.row)) }
        let ranked = keyed.sorted { a, b in
            if a.entry.match.ranksAbove(b.entry.match) { return true }
            if b.entry.match.ranksAbove(a.entry.match) { return false }
            return a.key.ranksBefore(b.key)
        }
        return try ranked.prefix(query.limit).map { try result($0.entry, sites: &sites) }
    }

    // MARK: SQL

    struct Filters {
        var clauses: [String] = []
        var values: [SQLValue] = []
    }

    /// The filters every plan shares, as SQL on the `still` table (``SQLiteArchive``'s, in PostgreSQL).
    private static func filters(_ query: StillSearch) -> Filters {
        var filters = Filters()
        if let structure = query.structure {
            filters.clauses.append("structure = ?")
            filters.values.append(structure.rawValue)
        }
        if let side = query.side, query.site?.site.laterality == nil {
            filters.clauses.append("side IN (?, 'bilateral')")
            filters.values.append(side.rawValue)
        }
        if let patient = query.patient {
            filters.clauses.append("patient_id = ?")
            filters.values.append(patient.value)
        }
        if let from = query.from {
            filters.clauses.append("taken_at >= ?")
            filters.values.append(from)
        }
        if let to = query.to {
            filters.clauses.append("taken_at < ?")
            filters.values.append(to)
        }
        if let injectate = query.injectate {
            filters.clauses.append("(injectates & ?) <> 0")
            filters.values.append(SQLiteArchive.injectateBit(injectate))
        }
        if let annotated = query.annotated {
            filters.clauses.append("annotated = ?")
            filters.values.append(annotated)
        }
        if let tech = query.recordedBy {
            filters.clauses.append("session_id IN (SELECT id FROM session WHERE tech = ?)")
            filters.values.append(tech)
        }
        if let text = query.text {
            if let terms = PostgresText.query(text) {
                filters.clauses.append("session_id IN (SELECT session_id FROM session_text WHERE words @@ ?::tsquery)")
                filters.values.append(terms)
            } else {
                // No words at all matches nothing, as in SQLite.
                filters.clauses.append("false")
            }
        }
        return filters
    }

    /// The first `limit` stills, newest first. With `keysFirst` (the filters pick sessions:
    /// notes' words, a tech) they are ranked on what `still_by_session` holds and the rows read
    /// for those kept only: a text search read 930 stills' rows to keep 50. Otherwise the
    /// date index already covers the filters, and a second pass costs more than it saves.
    private static func fetch(_ db: PGSession, filters: Filters, limit: Int, keysFirst: Bool) async throws -> [PGRow] {
        guard keysFirst else { return try await fetchWhole(db, filters: filters, limit: limit) }
        let whereClause = filters.clauses.isEmpty ? "" : "WHERE " + filters.clauses.joined(separator: " AND ")
        return try await db.rows("""
            WITH chosen AS (SELECT seq AS c_seq, taken_at AS c_at FROM still \(whereClause) ORDER BY taken_at DESC, seq DESC LIMIT ?) \
            SELECT \(resultColumns) FROM chosen JOIN still ON still.seq = chosen.c_seq ORDER BY c_at DESC, c_seq DESC
            """, filters.values + [limit])
    }

    /// Every matching still's whole row, newest first (a patient's, to rank by site here).
    private static func fetchWhole(_ db: PGSession, filters: Filters, limit: Int) async throws -> [PGRow] {
        let whereClause = filters.clauses.isEmpty ? "" : "WHERE " + filters.clauses.joined(separator: " AND ")
        return try await db.rows("SELECT \(resultColumns) FROM still \(whereClause) ORDER BY taken_at DESC, seq DESC LIMIT ?",
                                 filters.values + [limit])
    }

    struct Key {
        var takenAt: Date
        var seq: Int64

        /// Newest first; among stills taken at the same moment, the later-stored first.
        func ranksBefore(_ other: Key) -> Bool {
            takenAt != other.takenAt ? takenAt > other.takenAt : seq > other.seq
        }
    }

    static let resultColumns = SQLiteArchive.stillColumns + ", patient_id, taken_at, seq"
    enum ResultColumn {
        static let patientID = SQLiteArchive.stillColumnCount, takenAt = SQLiteArchive.stillColumnCount + 1, seq = SQLiteArchive.stillColumnCount + 2
    }

    private static func key(of row: PGRow) throws -> Key {
        Key(takenAt: try row.get(ResultColumn.takenAt), seq: try row.get(ResultColumn.seq))
    }

    private static func result(_ pair: (row: PGRow, match: SiteMatch?), sites: inout SQLiteArchive.SiteCache) throws -> StillSearchResult {
        StillSearchResult(still: try still(from: pair.row, sites: &sites), patientID: try PatientID(pair.row.get(ResultColumn.patientID)),
                          takenAt: try pair.row.get(ResultColumn.takenAt), match: pair.match)
    }
}
