import Anatomy
import ArgumentParser
import Archive
import Foundation
import Records

/// `needlelog search [QUERY] --level --structure --side ...`.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find stills by vertebral level, structure, side, patient, date, injectate or words in the notes.",
        discussion: """
            QUERY is read as a site when it is one (L4, L5-S1, "left SI joint", lumbar) and as words \
            to find in session notes otherwise. A level finds every tag that covers it: L4 finds L4, \
            L3-L4, L4-L5 and L3-S1, exact matches first; --exact finds only L4.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var filters: SearchFilterOptions
    @Option(help: "Most results.") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let search = try makeSearch()
        let store = try await archive.open(create: false)
        let results = try await store.search(search)
        if json {
            for result in results { print(try JSONOutput.line(Found(result, store: store))) }
            return
        }
        guard !results.isEmpty else {
            print("no stills match")
            return
        }
        var rows = [["taken", "patient", "site", "structure", "reason", "match", "still"]]
        rows += results.map { result in
            let match = result.match.map { $0.isExact ? "exact" : String(format: "%.0f%%", $0.coverage * 100) } ?? "-"
            return [DateArgument.format(result.takenAt, seconds: true), result.patientID.value, result.still.tag?.site.description ?? "-",
                    result.still.tag?.structure?.rawValue ?? "-", result.still.reason.rawValue, match,
                    String(result.still.id.uuidString.lowercased().prefix(8))]
        }
        print(TextTable(rows).rendered)
        print("\(results.count) still(s)\(results.count == limit ? " (limit reached: --limit for more)" : "")")
    }

    func makeSearch() throws -> StillSearch {
        try filters.search(limit: limit)
    }

    /// A result as `--json` prints it.
    struct Found: Encodable {
        var still: String, session: String, patient: String, takenAt: Date, time: Double
        var site: String?, structure: String?, reason: String, width: Int, height: Int, colour: String
        var file: String, exact: Bool?, coverage: Double?

        init(_ result: StillSearchResult, store: any ArchiveStore) {
            let s = result.still
            still = s.id.uuidString.lowercased()
            session = s.sessionID.uuidString.lowercased()
            patient = result.patientID.value
            takenAt = result.takenAt
            time = s.time
            site = s.tag?.site.description
            structure = s.tag?.structure?.rawValue
            reason = s.reason.rawValue
            width = s.width
            height = s.height
            colour = s.colour.rawValue
            file = store.files.url(for: s.fileHash).path
            exact = result.match?.isExact
            coverage = result.match?.coverage
        }
    }
}
