import Anatomy
import Foundation
import GRDB
import Records
import Synchronization

extension SQLiteArchive {
    /// Finds stills, best first (see `StillSearch`).
    ///
    /// How it stays fast on a million stills: a site query ranks the few hundred
    /// distinct tagged sites in `still_site` with Anatomy's matching, then reads each
    /// matching site's stills newest first from the `(site, side, taken_at)` index,
    /// merging sites of equal rank by date, and stops at the limit. A patient or a
    /// text search narrows by its own index first and ranks what it found.
    public func search(_ query: StillSearch) async throws -> [StillSearchResult] {
        guard query.limit > 0 else { return [] }
        return try await read("search stills") { db in
            if query.patient != nil || query.text != nil {
                return try Self.searchNarrowed(query, db)
            }
            if let site = query.site {
                return try Self.searchBySite(site, query, db)
            }
            var sites = SiteCache()
            return try Self.fetch(db, filters: Self.filters(query), limit: query.limit).map { try Self.result(($0, nil), sites: &sites) }
        }
    }

    // MARK: - Plans

    private static func searchBySite(_ siteQuery: SiteQuery, _ query: StillSearch, _ db: Database) throws -> [StillSearchResult] {
        let interval = siteQuery.site.searchInterval
        let candidates = try Row.fetchAll(db, sql: """
            SELECT site, side FROM still_site WHERE span_low <= ? AND span_high >= ?
            """, arguments: [interval.upperBound, interval.lowerBound])
        var sites = SiteCache()
        let classes = try siteQuery.tieClasses(of: candidates.map { ($0[0], $0[1]) }, sites: &sites)
        let filters = Self.filters(query)
        // Rank on (taken_at, rowid) alone, from the covering index; read whole rows
        // only for the stills that make the cut.
        var chosen: [(key: Key, match: SiteMatch)] = []
        for tieClass in classes where chosen.count < query.limit {
            let remaining = query.limit - chosen.count
            var found: [(key: Key, match: SiteMatch)] = []
            if tieClass.count <= Self.groupsWalkedOneByOne {
                for group in tieClass {
                    var groupFilters = filters
                    groupFilters.clauses.insert("site = ? AND side IS ?", at: 0)
                    groupFilters.arguments = [group.site, group.side.isEmpty ? nil : group.side] + filters.arguments
                    found += try keys(db, filters: groupFilters, limit: remaining).map { ($0, group.match) }
                }
            } else {
                // Many sites of one rank (a region query's "entirely inside" class) hold a
                // large share of all stills: walking the date index newest first and
                // keeping members finds `remaining` of them sooner than a walk per site.
                var classFilters = filters
                let members = Array(repeating: "(?, ?)", count: tieClass.count).joined(separator: ", ")
                classFilters.clauses.insert("(site, IFNULL(side, '')) IN (VALUES \(members))", at: 0)
                classFilters.arguments = tieClass.flatMap { [$0.site, $0.side] as [(any DatabaseValueConvertible)?] } + filters.arguments
                let match = tieClass[0].match
                found = try keys(db, filters: classFilters, limit: remaining).map { ($0, match) }
            }
            found.sort { $0.key.ranksBefore($1.key) }
            chosen += found.prefix(remaining)
        }
        let rows = try rowsByID(db, chosen.map(\.key.rowid))
        return try chosen.compactMap { entry in
            try rows[entry.key.rowid].map { try result(($0, entry.match), sites: &sites) }
        }
    }

    /// Patient or full-text searches: their own index narrows to few stills, which are
    /// then matched and ranked here.
    private static func searchNarrowed(_ query: StillSearch, _ db: Database) throws -> [StillSearchResult] {
        var filters = Self.filters(query)
        if let site = query.site {
            // The interval overlap test prefilters in SQL; Anatomy decides the match.
            filters.clauses.append("span_low <= ? AND span_high >= ?")
            filters.arguments += [site.site.searchInterval.upperBound, site.site.searchInterval.lowerBound]
        }
        let rows = try fetch(db, filters: filters, limit: query.site == nil ? query.limit : 100_000)
        var sites = SiteCache()
        guard let siteQuery = query.site else { return try rows.map { try result(($0, nil), sites: &sites) } }
        var matched: [(row: Row, match: SiteMatch)] = []
        for row in rows {
            guard let location: String = row[4],
                  let match = siteQuery.match(try sites.site(location: location, side: row[5])) else { continue }
            matched.append((row, match))
        }
        matched.sort { a, b in
            if a.match.ranksAbove(b.match) { return true }
            if b.match.ranksAbove(a.match) { return false }
            return newerFirst(a.row, b.row)
        }
        return try matched.prefix(query.limit).map { try result($0, sites: &sites) }
    }

    // MARK: - SQL

    struct Filters {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
    }

    /// The filters every plan shares, as SQL on the `still` table.
    private static func filters(_ query: StillSearch) -> Filters {
        var filters = Filters()
        if let structure = query.structure {
            filters.clauses.append("structure = ?")
            filters.arguments.append(structure.rawValue)
        }
        if let side = query.side, query.site?.site.laterality == nil {
            filters.clauses.append("side IN (?, 'bilateral')")
            filters.arguments.append(side.rawValue)
        }
        if let patient = query.patient {
            filters.clauses.append("patient_id = ?")
            filters.arguments.append(patient.value)
        }
        if let from = query.from {
            filters.clauses.append("taken_at >= ?")
            filters.arguments.append(from)
        }
        if let to = query.to {
            filters.clauses.append("taken_at < ?")
            filters.arguments.append(to)
        }
        if let injectate = query.injectate {
            filters.clauses.append("injectates & ? != 0")
            filters.arguments.append(injectateBit(injectate))
        }
        if let annotated = query.annotated {
            filters.clauses.append("annotated = ?")
            filters.arguments.append(annotated ? 1 : 0)
        }
        if let tech = query.recordedBy {
            filters.clauses.append("session_id IN (SELECT id FROM session WHERE tech = ?)")
            filters.arguments.append(tech)
        }
        if let text = query.text {
            let terms = ftsQuery(text)
            // No words at all matches nothing (an empty MATCH is an FTS5 syntax error).
            filters.clauses.append(terms.isEmpty ? "0" : "session_id IN (SELECT session_id FROM session_text WHERE session_text MATCH ?)")
            if !terms.isEmpty { filters.arguments.append(terms) }
        }
        return filters
    }

    private static func fetch(_ db: Database, filters: Filters, limit: Int) throws -> [Row] {
        let whereClause = filters.clauses.isEmpty ? "" : "WHERE " + filters.clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT \(resultColumns) FROM still \(whereClause) ORDER BY taken_at DESC, rowid DESC LIMIT ?",
                                arguments: StatementArguments(filters.arguments + [limit]))
    }

    /// What ranking among equals needs: when the still was taken, and its row.
    struct Key {
        var takenAt: Date
        var rowid: Int64

        /// Newest first; among stills taken at the same moment, the later-stored first.
        func ranksBefore(_ other: Key) -> Bool {
            takenAt != other.takenAt ? takenAt > other.takenAt : rowid > other.rowid
        }
    }

    /// Above this many sites of equal rank, one walk of the date index beats a walk per site.
    static let groupsWalkedOneByOne = 16

    private static func keys(_ db: Database, filters: Filters, limit: Int) throws -> [Key] {
        let whereClause = filters.clauses.isEmpty ? "" : "WHERE " + filters.clauses.joined(separator: " AND ")
        // The same few statement shapes recur for every site: prepared once per connection.
        let statement = try db.cachedStatement(sql: "SELECT rowid, taken_at FROM still \(whereClause) ORDER BY taken_at DESC, rowid DESC LIMIT ?")
        return try Row.fetchAll(statement, arguments: StatementArguments(filters.arguments + [limit]))
            .map { Key(takenAt: $0[1], rowid: $0[0]) }
    }

    private static func rowsByID(_ db: Database, _ rowids: [Int64]) throws -> [Int64: Row] {
        guard !rowids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: rowids.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT \(resultColumns) FROM still WHERE rowid IN (\(placeholders))",
                                    arguments: StatementArguments(rowids))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[ResultColumn.rowNumber], $0) })
    }

    /// Parsed sites by their stored text, so a page of results parses each site once.
    /// Behind it, the sites every search of this process has parsed: an archive tags a few
    /// hundred distinct sites, and parsing them again for each query cost about as much
    /// as the query's reads.
    struct SiteCache {
        private var parsed: [String: AnatomicSite] = [:]

        /// Bounded so a store of unusual sites cannot grow it without end; cleared when full.
        static let shared = Mutex<[String: AnatomicSite]>([:])
        static let sharedLimit = 20_000

        mutating func site(location: String, side: String?) throws -> AnatomicSite {
            let key = location + "|" + (side ?? "")
            if let known = parsed[key] { return known }
            if let known = Self.shared.withLock({ $0[key] }) {
                parsed[key] = known
                return known
            }
            let site = try SQLiteArchive.site(location: location, side: side)
            parsed[key] = site
            Self.shared.withLock { shared in
                if shared.count >= Self.sharedLimit { shared.removeAll(keepingCapacity: true) }
                shared[key] = site
            }
            return site
        }
    }

    /// Words as FTS5 terms that must all appear: each quoted, so punctuation in what a
    /// person typed cannot become FTS5 syntax.
    static func ftsQuery(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }
            .joined(separator: " ")
    }

    /// A result row: the still's columns, then these, read by position (see ``stillColumns``).
    static let resultColumns = stillColumns + ", patient_id, taken_at, rowid AS row_number"
    enum ResultColumn {
        static let patientID = stillColumnCount, takenAt = stillColumnCount + 1, rowNumber = stillColumnCount + 2
    }

    private static func newerFirst(_ a: Row, _ b: Row) -> Bool {
        let (x, y): (Date, Date) = (a[ResultColumn.takenAt], b[ResultColumn.takenAt])
        if x != y { return x > y }
        // Stills taken at the same moment: the later-stored first, as the index gives them.
        return (a[ResultColumn.rowNumber] as Int64) > (b[ResultColumn.rowNumber] as Int64)
    }

    private static func result(_ pair: (row: Row, match: SiteMatch?), sites: inout SiteCache) throws -> StillSearchResult {
        StillSearchResult(still: try still(from: pair.row, sites: &sites), patientID: try PatientID(pair.row[ResultColumn.patientID]),
                          takenAt: pair.row[ResultColumn.takenAt], match: pair.match)
    }
}
