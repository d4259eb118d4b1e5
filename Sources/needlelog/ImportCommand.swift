import ArgumentParser
import Archive
import Capture
import Foundation
import Media
import Records
import Workflows

/// `needlelog import FILE|FOLDER... --patient ID [--tags TAGFILE]`
///
/// Each clip becomes a completed session: its recording kept in the archive, the
/// tech's tags, and a still at every scanner freeze (plus any `--still-at` times),
/// each carrying the tag in force. A progress bar on a terminal, JSON progress lines
/// otherwise. A clip already imported (same bytes) is refused unless `--again`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import clips (files or folders of them) as sessions, with the tech's tags and a still at every freeze."
    )

    @OptionGroup var archive: ArchiveOptions
    @Argument(help: "Clips (mp4, mkv, avi, mov) or folders of them.") var inputs: [String]
    @Option(help: "The patient's identifier (add the patient first).") var patient: String
    @Option(help: "The tech's tag file: one `MM:SS.s SITE [STRUCTURE] [SIDE]` a line. With several clips, NAME.tags beside each clip is used instead.")
    var tags: String?
    @Option(name: .customLong("still-at"), parsing: .upToNextOption, help: "Also take stills at these times (seconds).")
    var stillTimes: [Double] = []
    @Option(help: "When the procedure started (2024-05-02T14:30); default: now.") var started: String?
    @Option(help: "Treatment number of planned, e.g. 2/6.") var treatment = "1/1"
    @Option(help: "The physician's user name: an active physician account (may be left out when there is only one).") var physician: String?
    @Option(help: "The tech's user name: an active tech account (may be left out when there is only one).") var tech: String?
    @Option(name: .customLong("mm-per-pixel"), help: "The scanner's calibration, when it exported one: millimetres per pixel, so needle depths show in mm.")
    var millimetresPerPixel: Double?
    @Flag(help: "Import a clip even if the same file was imported before.") var again = false
    @Flag(help: "Print each imported session as JSON.") var json = false
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        guard stillTimes.allSatisfy({ $0 >= 0 }) else { throw ValidationError("--still-at times must be seconds from the start, 0 or more") }
        if let scale = millimetresPerPixel, !(scale > 0 && scale <= 10) {
            throw ValidationError("--mm-per-pixel \(scale) is impossible: ultrasound images are 0.01-10 mm per pixel")
        }
    }

    func run() async throws {
        let clips = try ClipImport.clips(in: inputs)
        let treatmentNumber = try TreatmentNumber(parsing: treatment)
        let startedAt = try started.map { try DateArgument.parse($0, option: "--started") } ?? Date()
        let importer = ClipImporter(archive: try await archive.open(create: true))
        let lock = try await ArchiveLock.acquire(.shared, in: importer.archive.location, wait: .seconds(60), purpose: "import", waiting: ArchiveLock.tell)
        defer { lock.release() }
        // Names on a record are people with accounts, checked before any clip is read.
        let roster = StaffRoster(archive: importer.archive)
        let physician = try await roster.resolve(physician, as: .physician).name
        let tech = try await roster.resolve(tech, as: .tech).name
        let bar = ProgressDisplay()
        let suggester = NeedleSuggester(archive: importer.archive)
        for clip in clips {
            let tagFile = clips.count == 1 ? tags : ClipImport.sidecarTags(of: clip)
            let options = ClipImporter.Options(patient: try PatientID(patient), tags: try tagFile.map { try ClipImport.tags(fromFile: $0, author: tech) } ?? [],
                                               startedAt: startedAt, treatment: treatmentNumber, physician: physician, tech: tech,
                                               again: again, snapTimes: stillTimes, millimetresPerPixel: millimetresPerPixel)
            let report = try await importer.importClip(clip, options: options, progress: quiet ? { _ in } : { bar.show($0) })
            bar.finish()
            // The needle on each still, for the still page, once the clip is in (a daemon
            // would find them too; this way they are there at once).
            var suggested = 0
            for still in report.stills {
                if try await suggester.suggest(still: still.id).suggestion != nil { suggested += 1 }
            }
            if json {
                print(try JSONOutput.line(report.session))
            } else {
                let c = report.counters
                print("imported \(clip) as session \(report.session.id.uuidString.lowercased().prefix(8)) for \(patient): " +
                      "\(c.framesDecoded) frames, \(report.tags) tag(s), \(report.stills.count) still(s)" +
                      (c.decodeErrors > 0 ? ", \(c.decodeErrors) damaged frames skipped" : "") +
                      (report.stills.isEmpty ? "" : "; a needle suggested on \(suggested)"))
            }
        }
    }
}
