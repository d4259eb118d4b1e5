import ArgumentParser
import Archive

/// The search's filters, shared by `search` and `export`, read by `StillSearch.Filters`.
struct SearchFilterOptions: ParsableArguments {
    @Argument(help: "A site (L4, L5-S1, \"left SI joint\", lumbar), or words to find in session notes.") var query: String?
    @Option(help: "Level, segment, range or site: L4, L4-L5, L3-S1, \"T7 rib\".") var level: String?
    @Option(help: "Target structure: facet-capsule, interspinous-ligament, ... (names and synonyms work too).") var structure: String?
    @Option(help: "left, right, bilateral or midline.") var side: String?
    @Option(help: "cervical, thoracic, lumbar, sacral or coccygeal.") var region: String?
    @Option(help: "Patient identifier.") var patient: String?
    @Option(help: "Taken on or after this date (2024-05-02).") var from: String?
    @Option(help: "Taken before this date.") var to: String?
    @Option(help: "prolotherapy, prp, bmc or other.") var injectate: String?
    @Flag(inversion: .prefixedNo, help: "Only stills with (or --no-annotated: without) a needle annotation.") var annotated: Bool?
    @Flag(help: "Only tags naming exactly the level or site asked for.") var exact = false

    /// Whether any filter was given.
    var isEmpty: Bool {
        query == nil && level == nil && structure == nil && side == nil && region == nil && patient == nil && from == nil
            && to == nil && injectate == nil && annotated == nil && !exact
    }

    func validate() throws {
        if level != nil && region != nil { throw ValidationError("give --level or --region, not both") }
    }

    /// The search, or a usage error with the parser's words (`no vertebra L8: lumbar levels are L1-L5`).
    func search(limit: Int) throws -> StillSearch {
        do {
            return try StillSearch(.init(query: query, level: level, region: region, structure: structure, side: side,
                                         patient: patient, from: from, to: to, injectate: injectate, annotated: annotated,
                                         exact: exact, limit: limit))
        } catch let error as ArchiveError {
            throw CommandError(error.message.replacingOccurrences(of: "exact needs", with: "--exact needs"))
        }
    }
}
