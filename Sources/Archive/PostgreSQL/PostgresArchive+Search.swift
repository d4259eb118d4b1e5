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
        return try await read("search stills") { db in
            if query.patient != nil || query.text != nil {
                return try await Self.searchNarrowed(query, db)
            }
            if let site = query.site {
                return try await Self.searchBySite(site, query, db)
            }
            var sites = SQLiteArchive.SiteCache()
            return try await Self.fetch(db, filters: Self.filters(query), limit: query.limit).map { try Self.result(($0, nil), sites: &sites) }
        }
    }

    private static func searchBySite(_ siteQuery: SiteQuery, _ query: StillSearch, _ db: PGSession) async throws -> [StillSearchResult] {
        let interval = siteQuery.site.searchInterval
        let candidates = try await db.rows("""
            SELECT site, side FROM still_site WHERE int8range(span_low, span_high, '[]') && int8range(?, ?, '[]')
            """, [interval.lowerBound, interval.upperBound])
        var groups: [(site: String, side: String, match: SiteMatch)] = []
        var sites = SQLiteArchive.SiteCache()
        for row in candidates {
            let location: String = try row.get(0), side: String = try row.get(1)
            guard let match = siteQuery.match(try sites.site(location: location, side: side)) else { continue }
            groups.append((location, side, match))
        }
        groups.sort { $0.match.ranksAbove($1.match) }
        var classes: [[(site: String, side: String, match: SiteMatch)]] = []
        for group in groups {
            if let last = classes.last?.first, !last.match.ranksAbove(group.match) {
                classes[classes.count - 1].append(group)
            } else {
                classes.append([group])
            }
        }
        let filters = Self.filters(query)
        var chosen: [(key: Key, match: SiteMatch)] = []
        for tieClass in classes where chosen.count < query.limit {
            let remaining = query.limit - chosen.count
            var found: [(key: Key, match: SiteMatch)] = []
            if tieClass.count <= SQLiteArchive.groupsWalkedOneByOne {
                for group in tieClass {
                    var groupFilters = filters
                    // `side IS NOT DISTINCT FROM ?` reads the same but no B-tree serves it: a
                    // level search sorted a site's every still (22 ms on a million).
                    if group.side.isEmpty {
                        groupFilters.clauses.insert("site = ? AND side IS NULL", at: 0)
                        groupFilters.values = [group.site] + filters.values
                    } else {
                        groupFilters.clauses.insert("site = ? AND side = ?", at: 0)
                        groupFilters.values = [group.site, group.side] + filters.values
                    }
                    found += try await keys(db, filters: groupFilters, limit: remaining).map { ($0, group.match) }
                }
            } else {
                var classFilters = filters
                let members = Array(repeating: "(?, ?)", count: tieClass.count).joined(separator: ", ")
                classFilters.clauses.insert("(site, COALESCE(side, '')) IN (VALUES \(members))", at: 0)
                classFilters.values = tieClass.flatMap { [$0.site, $0.side] as [SQLValue] } + filters.values
                let match = tieClass[0].match
                found = try await keys(db, filters: classFilters, limit: remaining).map { ($0, match) }
            }
            found.sort { $0.key.ranksBefore($1.key) }
            chosen += found.prefix(remaining)
        }
        let rows = try await rowsBySeq(db, chosen.map(\.key.seq))
        return try chosen.compactMap { entry in
            try rows[entry.key.seq].map { try result(($0, entry.match), sites: &sites) }
        }
    }

    private static func searchNarrowed(_ query: StillSearch, _ db: PGSession) async throws -> [StillSearchResult] {
        var filters = Self.filters(query)
        if let site = query.site {
            filters.clauses.append("span_low <= ? AND span_high >= ?")
            filters.values += [site.site.searchInterval.upperBound, site.site.searchInterval.lowerBound]
        }
        let rows = try await fetch(db, filters: filters, limit: query.site == nil ? query.limit : 100_000)
        var sites = SQLiteArchive.SiteCache()
        guard let siteQuery = query.site else { return try rows.map { try result(($0, nil), sites: &sites) } }
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

    private static func fetch(_ db: PGSession, filters: Filters, limit: Int) async throws -> [PGRow] {
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

    private static func keys(_ db: PGSession, filters: Filters, limit: Int) async throws -> [Key] {
        let whereClause = filters.clauses.isEmpty ? "" : "WHERE " + filters.clauses.joined(separator: " AND ")
        return try await db.rows("SELECT seq, taken_at FROM still \(whereClause) ORDER BY taken_at DESC, seq DESC LIMIT ?",
                                 filters.values + [limit])
            .map { Key(takenAt: try $0.get(1), seq: try $0.get(0)) }
    }

    private static func rowsBySeq(_ db: PGSession, _ seqs: [Int64]) async throws -> [Int64: PGRow] {
        guard !seqs.isEmpty else { return [:] }
        let rows = try await db.rows("SELECT \(resultColumns) FROM still WHERE seq = ANY(?)", [seqs])
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.get(ResultColumn.seq, as: Int64.self), $0) })
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
