import ArgumentParser
import Archive
import Foundation
import Media
import Records

/// `needlelog import FILE --patient ID [--tags TAGFILE] --still-at SECONDS...`
///
/// Brings a scanner's exported clip into the archive as a completed session: its
/// tags from the tech's tag file, and stills at the times asked for, each carrying
/// the tag in force. Everything is read and checked before anything is written, so
/// a bad file, tag file or time leaves the archive untouched.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a clip as a session, with its tag file and stills at given times."
    )

    @OptionGroup var archive: ArchiveOptions
    @Argument(help: "The clip (mp4, mkv, avi, mov).") var file: String
    @Option(help: "The patient's identifier (add the patient first).") var patient: String
    @Option(help: "The tech's tag file: one `MM:SS.s SITE [STRUCTURE] [SIDE]` a line.") var tags: String?
    @Option(name: .customLong("still-at"), parsing: .upToNextOption, help: "Times in seconds at which to take stills.")
    var stillTimes: [Double] = []
    @Option(help: "When the procedure started (2024-05-02T14:30); default: now.") var started: String?
    @Option(help: "Treatment number of planned, e.g. 2/6.") var treatment = "1/1"
    @Option(help: "Physician's user name.") var physician = "physician"
    @Option(help: "Tech's user name.") var tech = "tech"
    @Flag(help: "Print the session as JSON.") var json = false

    func validate() throws {
        guard stillTimes.allSatisfy({ $0 >= 0 }) else { throw ValidationError("--still-at times must be seconds from the start, 0 or more") }
    }

    func run() async throws {
        let treatmentNumber = try parseTreatment()
        let startedAt = try started.map { try DateArgument.parse($0, option: "--started") } ?? Date()
        let timeline = try loadTags()
        let store = try archive.open(create: true)
        let patientID = try PatientID(patient)
        guard try await store.patient(patientID) != nil else {
            throw CommandError("no patient \(patientID) in \(store.location): add the patient first (needlelog patients add \(patientID) ...)")
        }
        let stills = try StillExtractor(file: file).stills(at: stillTimes.sorted())

        var session = try ProcedureSession(patientID: patientID, startedAt: startedAt, physician: physician, tech: tech,
                                           indication: "imported from \(URL(fileURLWithPath: file).lastPathComponent)",
                                           treatment: treatmentNumber)
        try await store.add(session)
        try await store.add(timeline.events, toSession: session.id)
        var stored = 0
        for still in stills {
            let draft = StillDraft(sessionID: session.id, time: still.time, sourceFrame: still.frameIndex,
                                   tag: timeline.tag(at: still.time)?.tag, reason: .import,
                                   width: still.image.width, height: still.image.height,
                                   colour: still.image.format == .gray8 ? .gray : .rgb)
            _ = try await store.addStill(draft, png: still.png)
            stored += 1
        }
        try session.transition(to: .completed, at: startedAt.addingTimeInterval(stills.last?.time ?? 0))
        try await store.update(session)
        if json {
            print(try JSONOutput.line(session))
        } else {
            print("imported \(file) as session \(session.id.uuidString.lowercased().prefix(8)) for \(patientID): \(timeline.events.count) tags, \(stored) stills")
        }
    }

    private func parseTreatment() throws -> TreatmentNumber {
        let parts = treatment.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2 else { throw ValidationError("--treatment \"\(treatment)\" should be NUMBER/PLANNED, e.g. 2/6") }
        return try TreatmentNumber(parts[0], of: parts[1])
    }

    private func loadTags() throws -> TagTimeline {
        guard let tags else { return TagTimeline([]) }
        let text: String
        do {
            text = try String(contentsOfFile: tags, encoding: .utf8)
        } catch {
            throw CommandError("\(tags): cannot read the tag file (\(error.localizedDescription))")
        }
        do {
            return TagTimeline(try TagFile(parsing: text, author: tech).events)
        } catch {
            throw CommandError("\(tags):\n\(error)")
        }
    }
}

/// Decodes a clip once and keeps, for each requested time, the frame then on screen
/// as a PNG (gray when the frame has no colour).
struct StillExtractor {
    struct Extracted {
        var time: Double
        var frameIndex: Int
        var image: Image
        var png: Data
    }

    let file: String

    func stills(at times: [Double]) throws -> [Extracted] {
        guard !times.isEmpty else { return [] }
        let source = try MediaSource(.file(file))
        let decoder = try VideoDecoder(for: source)
        let converter = PixelConverter()
        var pending = times[...]
        var results: [Extracted] = []
        var shown: (frame: Frame, index: Int)?
        var index = 0
        func take(upTo time: Double?) throws {
            // Every requested time before `time` is answered by the frame on screen.
            while let wanted = pending.first, let current = shown, time.map({ wanted < $0 - 1e-6 }) ?? true {
                pending.removeFirst()
                let image = try converter.image(from: current.frame, format: current.frame.carriesColor() ? .rgb24 : .gray8)
                let png = try PNG.encode(image, options: .fast)
                results.append(Extracted(time: wanted, frameIndex: current.index, image: image, png: png))
            }
        }
        func consider(_ frames: [Frame]) throws {
            for frame in frames {
                try take(upTo: frame.time ?? 0)
                shown = (frame, index)
                index += 1
            }
        }
        while !pending.isEmpty, let packet = try source.nextPacket() {
            try consider(try decoder.decode(packet))
        }
        try consider(try decoder.flush())
        if let duration = source.video.duration ?? shown?.frame.time, let late = pending.first(where: { $0 > duration + 0.5 }) {
            throw CommandError("\(file): --still-at \(late) is past the end of the clip (\(String(format: "%.2f", duration)) s)")
        }
        try take(upTo: nil)
        return results
    }
}
