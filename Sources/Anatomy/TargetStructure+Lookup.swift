import Foundation

extension TargetStructure {
    /// The catalogue structure with this id, if there is one.
    public init?(id: ID) {
        guard let structure = Self.byID[id] else { return nil }
        self = structure
    }

    /// Looks a structure up by id, display name or synonym, as a tech would type it.
    ///
    /// Case, hyphens, underscores, spaces and a plural `s` are ignored, so
    /// `facet-capsule`, `Facet joints`, `z_joint` and `ZYGAPOPHYSEAL JOINT` all find
    /// ``facetCapsule``.
    ///
    /// - Throws: ``AnatomyParseError/unknownStructure(_:suggestions:)`` with the
    ///   closest catalogue ids (`unknown structure "facett": did you mean facet-capsule?`).
    public init(parsing text: String) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        guard !input.words.isEmpty else { throw .empty(expected: .structure) }
        guard let structure = Self.byName[Self.lookupKey(input.words)] else {
            throw .unknownStructure(input.original, suggestions: Self.closestIDs(to: input.original))
        }
        self = structure
    }

    /// Every name the structure is known by: its id, display name and synonyms.
    public var names: [String] { [id.rawValue, displayName] + synonyms }

    /// The catalogue ids nearest to `text`, best first, for "did you mean" advice:
    /// names that contain the text (or are contained in it) first, then by edit
    /// distance; at most three, and only those nearly as close as the best.
    static func closestIDs(to text: String, limit: Int = 3) -> [ID] {
        let query = lookupKey(ClinicalText(text).words)
        // Ties keep catalogue order, so advice is the same every time.
        let ranked = catalogue.enumerated().map { index, structure in
            let score = structure.names.map { distance(query, lookupKey([$0])) }.min() ?? .max
            return (id: structure.id, score: score, index: index)
        }.sorted { ($0.score, $0.index) < ($1.score, $1.index) }
        guard let best = ranked.first?.score else { return [] }
        return ranked.prefix { $0.score <= best + 2 }.prefix(limit).map(\.id)
    }

    /// How far a typed key is from a name's key: 0 when one holds the other (for
    /// keys of three or more letters), otherwise the edit distance.
    private static func distance(_ query: String, _ name: String) -> Int {
        if min(query.count, name.count) >= 3 && (name.contains(query) || query.contains(name)) { return 0 }
        return editDistance(query, name)
    }

    /// A name reduced to what matters for lookup: lowercase, each word singular, and
    /// no spaces, hyphens or underscores (`Facet joints` and `facet_joint` are `facetjoint`).
    static func lookupKey(_ words: [String]) -> String {
        ClinicalText.phraseKey(words.map { $0.lowercased() })
            .split(separator: " ")
            .map { singular(String($0)) }
            .joined()
    }

    private static func singular(_ word: String) -> String {
        if ["ches", "shes", "sses"].contains(where: word.hasSuffix) { return String(word.dropLast(2)) }
        let keepsS = ["ss", "us", "is"].contains(where: word.hasSuffix)
        return word.count > 3 && word.hasSuffix("s") && !keepsS ? String(word.dropLast()) : word
    }

    private static let byID: [ID: TargetStructure] = Dictionary(
        catalogue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    private static let byName: [String: TargetStructure] = Dictionary(
        catalogue.flatMap { structure in structure.names.map { (lookupKey([$0]), structure) } },
        uniquingKeysWith: { first, _ in first })
}
