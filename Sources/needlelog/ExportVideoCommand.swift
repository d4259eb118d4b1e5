import ArgumentParser
import Foundation
import Workflows

/// `needlelog export video --around STILL [--before S --after S] --out DIR`.
struct ExportVideoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video",
        abstract: "Write the recording around a still as a DICOM cine loop (Ultrasound Multi-frame Image, H.264).",
        discussion: """
            The loop runs from --before seconds before the still to --after seconds after it, at the \
            recording's frame rate, as H.264 High profile in MP4 inside the DICOM object (level 4.1, or \
            4.2 for 1080p above 30 frames a second; scaled down only when neither holds it), with the \
            still's patient, study, order, anatomy and calibration. A recording that is such H.264 \
            already is copied, not encoded again: the loop then starts at the keyframe at or before \
            --before. It goes to \
            DIR/<Study Instance UID>/US-CINE-<SOP Instance UID>.dcm and is pushed like the stills.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Option(help: ArgumentHelp("The still (its id, or at least its first 4 characters).", valueName: "still")) var around: String
    @Option(help: "Seconds of recording before the still.") var before = 5.0
    @Option(help: "Seconds of recording after the still.") var after = 5.0
    @Option(help: ArgumentHelp("Folder to write into; created if missing.", valueName: "dir")) var out: String
    @Flag(help: "One JSON object for scripts.") var json = false

    func run() async throws {
        let store = try await archive.open(create: false)
        let still = try await StillReference.resolve(around, in: store, option: "--around")
        let written = try await StillExport(archive: store).writeCineLoop(around: still, before: before, after: after,
                                                                          to: URL(fileURLWithPath: out), by: UsersCommand.actor)
        let facts = written.facts
        if json {
            struct Line: Encodable {
                var file, sopInstanceUID, transferSyntax, level: String
                var frames, width, height: Int
                var frameRate, start: Double
                var copied: Bool
            }
            print(try JSONOutput.line(Line(file: written.url.path, sopInstanceUID: written.sopInstanceUID, transferSyntax: facts.transferSyntax,
                                           level: facts.level, frames: facts.frames, width: facts.width, height: facts.height,
                                           frameRate: facts.frameRate, start: facts.start, copied: facts.copied)))
        } else {
            print(String(format: "wrote a cine loop of %d frames from %.2f s, %dx%d at %.2f fps (H.264 level %@, %@) to %@", facts.frames, facts.start,
                         facts.width, facts.height, facts.frameRate, facts.level,
                         facts.copied ? "copied from the recording" : "encoded", written.url.path))
        }
    }
}
