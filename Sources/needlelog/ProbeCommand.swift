import ArgumentParser
import Foundation
import Media

/// `needlelog probe FILE...`: what a clip is, and whether every frame decodes.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Describe video files (codec, size, rate, length) and optionally decode every frame."
    )

    @Argument(help: "Video files to describe.")
    var files: [String]

    @Flag(help: "Decode every frame, counting frames and decode errors and timing the decode.")
    var decode = false

    @Flag(help: "Print one JSON object per file instead of a table.")
    var json = false

    struct Report: Encodable {
        var file: String
        var video: VideoInfo
        var decodedFrames: Int?
        var decodeErrors: Int?
        var decodeSeconds: Double?
        var carriesColor: Bool?
    }

    func run() throws {
        var reports: [Report] = []
        for file in files {
            reports.append(try probe(file))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for report in reports {
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        } else {
            printTable(reports)
        }
    }

    private func probe(_ file: String) throws -> Report {
        let source = try MediaSource(.file(file))
        var report = Report(file: file, video: source.video)
        guard decode else { return report }
        let decoder = try VideoDecoder(for: source)
        let started = ContinuousClock.now
        var first: Frame?
        while let packet = try source.nextPacket() {
            let frames = try decoder.decode(packet)
            if first == nil { first = frames.first }
        }
        let rest = try decoder.flush()
        if first == nil { first = rest.first }
        let elapsed = ContinuousClock.now - started
        report.decodedFrames = decoder.frameCount
        report.decodeErrors = decoder.errorCount
        report.decodeSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        report.carriesColor = first?.carriesColor()
        return report
    }

    private func printTable(_ reports: [Report]) {
        var rows = [["file", "codec", "size", "fps", "seconds", "frames"]]
        if decode { rows[0] += ["decoded", "errors", "colour", "decode s"] }
        for report in reports {
            let v = report.video
            var row = [report.file, v.codec, "\(v.width)x\(v.height)", format(v.frameRate),
                       v.duration.map(format) ?? "-", v.frameCount.map(String.init) ?? "-"]
            if decode {
                row += [report.decodedFrames.map(String.init) ?? "-", report.decodeErrors.map(String.init) ?? "-",
                        report.carriesColor.map { $0 ? "rgb" : "gray" } ?? "-",
                        report.decodeSeconds.map { String(format: "%.3f", $0) } ?? "-"]
            }
            rows.append(row)
        }
        print(TextTable(rows).rendered)
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}
