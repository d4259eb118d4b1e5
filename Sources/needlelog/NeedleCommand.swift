import ArgumentParser
import Archive
import Foundation
import Media
import NeedleDetection
import Records
import Workflows

/// `needlelog needle suggest ...`: the needle detector from the command line.
struct NeedleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needle",
        abstract: "Find the needle on stills: what the still page offers the physician to accept.",
        subcommands: [SuggestNeedleCommand.self]
    )
}

/// `needlelog needle suggest IMAGE.png | --still ID | --missing [--json]`.
struct SuggestNeedleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Find the needle's shaft and tip on a PNG or an archived still, or say there is none.",
        discussion: """
            Prints where the needle enters the picture, its tip (pixels from the top left), its angle \
            to the skin line and the detector's confidence, or that it found none. --still looks at a \
            still in the archive and keeps the result beside it, as the daemon does for every still it \
            stores; --missing does that for every still the current detector has not looked at (an \
            archive from before the detector, or stills imported while no daemon ran).
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Argument(help: "A PNG (a still exported or saved by `needlelog still`).") var image: String?
    @Option(help: "An archived still's id (the first 8 characters will do).") var still: String?
    @Flag(help: "Look at every archived still the current detector has not looked at yet.") var missing = false
    @Flag(help: "One JSON object per still.") var json = false

    func validate() throws {
        let given = [image != nil, still != nil, missing].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("give one of: a PNG file, --still ID, or --missing (e.g. needlelog needle suggest still.png)")
        }
        if let image, !image.lowercased().hasSuffix(".png") {
            throw ValidationError("\(image) is not a .png file: give a PNG still, such as one saved by `needlelog still`")
        }
    }

    func run() async throws {
        if let image {
            let decoded: PNG.Decoded
            do {
                decoded = try PNG.read(contentsOf: image)
            } catch {
                throw CommandError("\(image): \(error.message)")
            }
            print(try describe(NeedleDetector().suggest(decoded.image), still: nil))
            return
        }
        let store = try await archive.open(create: false)
        let suggester = NeedleSuggester(archive: store)
        if missing {
            let looked = try await suggester.catchUp(storedSince: nil)
            print(json ? try JSONOutput.line(["looked": looked]) : "looked for the needle on \(looked) still(s) (\(NeedleDetector.version))")
            return
        }
        let id = try await StillReference.resolve(still ?? "", in: store, option: "--still")
        let result = try await suggester.suggest(still: id)
        print(try describe(result.suggestion, still: id))
    }

    private func describe(_ suggestion: NeedleSuggestion?, still: UUID?) throws -> String {
        if json {
            struct Found: Encodable {
                var found: Bool, detector: String, still: String?
                var entry: ImagePoint?, tip: ImagePoint?, angleDegrees: Double?, confidence: Double?
            }
            return try JSONOutput.line(Found(found: suggestion != nil, detector: NeedleDetector.version, still: still?.uuidString,
                                             entry: suggestion?.entry, tip: suggestion?.tip, angleDegrees: suggestion?.angleDegrees,
                                             confidence: suggestion?.confidence))
        }
        let subject = still.map { "still \($0.uuidString.lowercased().prefix(8)): " } ?? ""
        guard let suggestion else { return "\(subject)no needle found (\(NeedleDetector.version))" }
        return String(format: "%@needle from %.1f,%.1f to its tip at %.1f,%.1f, %.1f° to the skin line, confidence %.2f (%@)",
                      subject, suggestion.entry.x, suggestion.entry.y, suggestion.tip.x, suggestion.tip.y, suggestion.angleDegrees,
                      suggestion.confidence, NeedleDetector.version)
    }
}

/// A still's id from its full form or a unique prefix, as the tables print it.
enum StillReference {
    static func resolve(_ text: String, in store: any ArchiveStore, option: String) async throws -> UUID {
        if let id = UUID(uuidString: text) { return id }
        let prefix = text.lowercased()
        guard prefix.count >= 4, prefix.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw CommandError("\(option) \(text): give a still's id, or at least its first 4 characters, as `needlelog search` prints it")
        }
        let matches = try await store.stillIDs(prefix: prefix, limit: 2)
        guard let first = matches.first else { throw CommandError("\(option) \(text): no still's id starts so") }
        guard matches.count == 1 else { throw CommandError("\(option) \(text): more than one still's id starts so; give more of it") }
        return first
    }
}
