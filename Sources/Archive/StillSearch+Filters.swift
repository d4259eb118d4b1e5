import Anatomy
import Foundation
import Records

extension StillSearch {
    /// A search as people write it: the CLI's options and the search page's fields,
    /// as text, read by one set of rules.
    public struct Filters: Sendable, Equatable {
        /// A site (read as one when it parses as one) or words to find in session notes.
        public var query: String?
        public var level: String?
        public var region: String?
        public var structure: String?
        public var side: String?
        public var patient: String?
        public var from: String?
        public var to: String?
        public var injectate: String?
        public var annotated: Bool?
        public var exact: Bool
        public var limit: Int

        public init(query: String? = nil, level: String? = nil, region: String? = nil, structure: String? = nil,
                    side: String? = nil, patient: String? = nil, from: String? = nil, to: String? = nil,
                    injectate: String? = nil, annotated: Bool? = nil, exact: Bool = false, limit: Int = 50) {
            self.query = query
            self.level = level
            self.region = region
            self.structure = structure
            self.side = side
            self.patient = patient
            self.from = from
            self.to = to
            self.injectate = injectate
            self.annotated = annotated
            self.exact = exact
            self.limit = limit
        }
    }

    /// - Throws: ``ArchiveError`` `.invalid` with the parser's message (`no vertebra L8:
    ///   lumbar levels are L1-L5`) for a field that does not read.
    public init(_ filters: Filters) throws {
        func nonEmpty(_ text: String?) -> String? {
            guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        guard (1...1000).contains(filters.limit) else { throw ArchiveError(.invalid, "limit must be 1-1000") }
        let level = nonEmpty(filters.level), region = nonEmpty(filters.region), side = nonEmpty(filters.side)
        if level != nil && region != nil { throw ArchiveError(.invalid, "give a level or a region, not both") }
        self.init(limit: filters.limit)
        do {
            var siteText = level ?? region
            if let query = nonEmpty(filters.query) {
                if siteText == nil, (try? AnatomicSite(parsing: query, options: .allowingTransitionalLevels)) != nil {
                    siteText = query
                } else if siteText == nil, Self.looksLikeLevel(query) {
                    // "L8" or "C5-C9" was meant as a level: say what is wrong rather than search notes for it.
                    _ = try AnatomicSite(parsing: query, options: .allowingTransitionalLevels)
                } else {
                    guard query.contains(where: { $0.isLetter || $0.isNumber }) else {
                        throw ArchiveError(.invalid, "the search has no letters or digits: give a level such as L4-L5, a structure such as facet, or words from the notes")
                    }
                    text = query
                }
            }
            if let siteText {
                var site = try AnatomicSite(parsing: siteText, options: .allowingTransitionalLevels)
                if let side, site.laterality == nil { site.laterality = try Laterality(parsing: side) }
                self.site = SiteQuery(site, exactOnly: filters.exact)
            } else if filters.exact {
                throw ArchiveError(.invalid, "exact needs a level or site to be exact about")
            }
            if let side, self.site == nil { self.side = try Laterality(parsing: side) }
            if let structure = nonEmpty(filters.structure) { self.structure = try TargetStructure(parsing: structure).id }
            if let patient = nonEmpty(filters.patient) { self.patient = try PatientID(patient) }
            if let from = nonEmpty(filters.from) { self.from = try Self.date(from, field: "from") }
            if let to = nonEmpty(filters.to) { self.to = try Self.date(to, field: "to") }
            if let injectate = nonEmpty(filters.injectate) { self.injectate = try Injectate.Kind(parsing: injectate) }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.invalid, "\(error)")
        }
        annotated = filters.annotated
    }

    /// A letter of a spinal region followed by a digit (`L8`, `c9`, `T13-L1`): a level, not words.
    static func looksLikeLevel(_ text: String) -> Bool {
        let characters = Array(text.lowercased())
        return characters.count >= 2 && "ctls".contains(characters[0]) && characters[1].isNumber
    }

    /// A day (`2024-05-02`) or a minute (`2024-05-02T14:30`) in local time.
    public static func date(_ text: String, field: String) throws -> Date {
        let formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss"]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone.current
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        throw ArchiveError(.invalid, "\(field) \"\(text)\" is not a date: write 2024-05-02 or 2024-05-02T14:30")
    }
}
