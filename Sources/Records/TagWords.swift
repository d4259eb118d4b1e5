import Anatomy
import Foundation

/// The words of a tag line after its time, read from the end: a trailing
/// structure id and side are taken off, and the rest is the site.
struct TagWords {
    private let words: [Substring]

    init(_ words: [Substring]) {
        self.words = words
    }

    /// The site and structure the words name, with a trailing side folded into the site.
    func tag(options: AnatomyParsingOptions) throws(TagFileError.Reason) -> SiteTag {
        var siteWords = words
        var side: Laterality?
        var structure: TargetStructure.ID?
        // At least one word always stays for the site, so `00:40 sacroiliac-joint`
        // is the SI joint as a site rather than a structure with no site.
        while siteWords.count > 1, let last = siteWords.last {
            if side == nil, let found = Self.side(last) {
                side = found
                siteWords.removeLast()
            } else if side == nil, Self.sideSuffixes.contains(last.lowercased()), siteWords.count > 2,
                      let found = Self.side(siteWords[siteWords.count - 2]) {
                side = found
                siteWords.removeLast(2)
            } else if structure == nil, let found = Self.structureID(last) {
                structure = found
                siteWords.removeLast()
            } else {
                break
            }
        }
        let site = try Self.site(siteWords, options: options)
        switch (site.laterality, side) {
        case let (written?, trailing?) where written != trailing:
            throw .conflictingSides(written, trailing)
        case (nil, let trailing?):
            return SiteTag(site: AnatomicSite(site.location, laterality: trailing), structure: structure)
        default:
            return SiteTag(site: site, structure: structure)
        }
    }

    /// Reads the site, or explains the failure as precisely as the words allow.
    private static func site(_ words: [Substring], options: AnatomyParsingOptions) throws(TagFileError.Reason) -> AnatomicSite {
        let text = words.joined(separator: " ")
        let failure: AnatomyParseError
        do {
            return try AnatomicSite(parsing: text, options: options)
        } catch {
            failure = error
        }
        if words.count == 1, let id = structureID(words[0]) { throw .structureWithoutSite(id) }
        // A valid site followed by unknown words: blame the words, not the site.
        for siteCount in stride(from: words.count - 1, through: 1, by: -1) {
            guard (try? AnatomicSite(parsing: words.prefix(siteCount).joined(separator: " "), options: options)) != nil
            else { continue }
            let rest = words.dropFirst(siteCount).joined(separator: " ")
            if let id = structureID(Substring(rest)) { throw .secondStructure(id) }
            let structure: TargetStructure
            do {
                structure = try TargetStructure(parsing: rest)
            } catch {
                guard case .unknownStructure(_, let suggestions) = error else { throw .unknownWords(rest, suggestions: []) }
                throw .unknownWords(rest, suggestions: suggestions)
            }
            throw .structureNotByID(rest, structure.id)
        }
        throw .site(text, failure)
    }

    private static func side(_ word: Substring) -> Laterality? {
        try? Laterality(parsing: String(word))
    }

    /// The catalogue id the word is, in any case; names and synonyms do not count.
    private static func structureID(_ word: Substring) -> TargetStructure.ID? {
        TargetStructure(id: TargetStructure.ID(rawValue: word.lowercased())).map(\.id)
    }

    private static let sideSuffixes: Set<String> = ["side", "sided"]
}
