import ArgumentParser
import Foundation
import Media
import Workflows

/// `needlelog export video (--around STILL [--before S --after S] | --session ID [--start S --end S]) --out DIR`.
struct ExportVideoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video",
        abstract: "Write the recording around a still, or a session's recording, as a DICOM cine loop (Ultrasound Multi-frame Image, H.264).",
        discussion: """
            With --around, the loop runs from --before seconds before the still to --after seconds after \
            it; with --session alone, it is the session's whole recording (or --start to --end seconds \
            of it), at most 300 s, with the anatomy of the session's most-tagged site. It plays \
            at the recording's frame rate, as H.264 High profile in MP4 inside the DICOM object (level 4.1, or \
            4.2 for 1080p above 30 frames a second; scaled down only when neither holds it), with the \
            still's patient, study, order, anatomy and calibration. A recording that is such H.264 \
            already is copied, not encoded again: the loop then starts at the keyframe at or before \
            --before. It goes to \
            DIR/<Study Instance UID>/US-CINE-<SOP Instance UID>.dcm and is pushed like the stills.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Option(help: ArgumentHelp("The still (its id, or at least its first 4 characters).", valueName: "still")) var around: String?
    @Option(help: "Seconds of recording before the still.") var before = 5.0
    @Option(help: "Seconds of recording after the still.") var after = 5.0
    @Option(help: ArgumentHelp("The session whose recording becomes the loop (its id, or at least its first 4 characters).", valueName: "id"))
    var session: String?
    @Option(help: "With --session: the loop's first second in the recording (default 0).") var start: Double?
    @Option(help: "With --session: the loop's last second in the recording (default its end).") var end: Double?
    @Option(help: ArgumentHelp("Folder to write into; created if missing.", valueName: "dir")) var out: String
    @Flag(help: "One JSON object for scripts.") var json = false

    func validate() throws {
        guard around != nil || session != nil else {
            throw ValidationError("say which recording: --around STILL (the seconds around a still) or --session ID (its recording)")
        }
        guard around == nil || (start == nil && end == nil) else {
            throw ValidationError("--start and --end go with --session alone; around a still, give --before and --after")
        }
    }

    func run() async throws {
        let store = try await archive.open(create: false)
        let export = StillExport(archive: store)
        let folder = URL(fileURLWithPath: out)
        let written: (url: URL, sopInstanceUID: String, facts: CineLoop.Facts)
        if let around {
            let still = try await StillReference.resolve(around, in: store, option: "--around")
            if let session, let found = try await store.still(still) {
                let named = try await SessionLookup.find(session, in: store)
                guard named.id == found.sessionID else {
                    throw CommandError("--around \(around) is a still of another session than --session \(session)")
                }
            }
            written = try await export.writeCineLoop(around: still, before: before, after: after, to: folder, by: UsersCommand.actor)
        } else {
            let named = try await SessionLookup.find(session ?? "", in: store)
            written = try await export.writeCineLoop(session: named.id, start: start, end: end, to: folder, by: UsersCommand.actor)
        }
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
