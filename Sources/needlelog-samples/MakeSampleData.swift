import ArgumentParser
import Foundation
import Media
import SampleKit

/// Renders SampleKit's standard clips, encodes them with Media and writes each with
/// its ground truth (JSON) and the tech's tag file beside it.
@main
struct MakeSampleData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needlelog-samples",
        abstract: "Generate SampleData: synthetic spine ultrasound clips with ground truth."
    )

    @Option(help: "Folder to write into.")
    var out = "SampleData"

    @Option(name: .customLong("only"), help: "Generate only the clip with this name (repeatable).")
    var only: [String] = []

    @Flag(help: "Write only the ground truth and tag files, not the video (fast; for checking determinism).")
    var truthOnly = false

    @Flag(help: "List the standard clips and exit.")
    var list = false

    @Option(help: ArgumentHelp("Write a day of modality worklist steps as dcmtk dump files (for dump2dcm) into this folder and exit.", valueName: "dir"))
    var worklist: String?

    func run() throws {
        if let worklist {
            // Today and tomorrow on this machine's calendar, as a worklist server would list them.
            let day = { (offset: Int) -> String in
                let date = Calendar.current.date(byAdding: .day, value: offset, to: Date()) ?? Date()
                let parts = Calendar.current.dateComponents([.year, .month, .day], from: date)
                return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            }
            let files = try WorklistSamples.writeDumps(WorklistSamples.day(day(0), nextDay: day(1)), to: URL(fileURLWithPath: worklist))
            print("wrote \(files.count) worklist steps into \(worklist)")
            return
        }
        let specs = ClipSpec.standard.filter { only.isEmpty || only.contains($0.name) }
        if list {
            for spec in ClipSpec.standard {
                print("\(spec.name)  \(spec.width)x\(spec.height) \(spec.framesPerSecond) fps \(spec.frameCount) frames \(spec.codec)/\(spec.container)")
            }
            return
        }
        guard !specs.isEmpty else {
            throw ValidationError("no clip named \(only.joined(separator: ", ")): --list shows the names")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for spec in specs {
            let screen = ScannerScreen(spec: spec)
            let base = out + "/" + (spec.fileName as NSString).deletingPathExtension
            try writeAtomically(screen.groundTruth.jsonData(), to: base + ".json")
            try writeAtomically(Data(screen.groundTruth.tagFileText.utf8), to: base + ".tags")
            if truthOnly { continue }
            let started = ContinuousClock.now
            let bytes = try encode(screen, spec: spec, to: out + "/" + spec.fileName)
            let elapsed = ContinuousClock.now - started
            print(String(format: "%@: %d frames %dx%d, %.2f MB (%.0f kB/s of video), %.1f s",
                         spec.fileName, spec.frameCount, spec.width, spec.height, Double(bytes) / 1e6,
                         Double(bytes) / 1e3 / spec.durationSeconds,
                         Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
    }

    /// The settings a real device would use: MJPEG at a capture card's quality, H.264
    /// with a one-second GOP. One encoder thread so the bytes are reproducible.
    private func settings(for spec: ClipSpec) throws -> EncoderSettings {
        let codec: EncoderSettings.Codec
        switch spec.codec {
        case "mjpeg": codec = .mjpeg(quality: 9)
        case "h264": codec = .h264(crf: 28, preset: "medium")
        default: throw ValidationError("\(spec.name): unknown codec \(spec.codec)")
        }
        return EncoderSettings(codec: codec, width: spec.width, height: spec.height, frameRate: spec.framesPerSecond,
                               keyframeInterval: spec.framesPerSecond, threads: 1)
    }

    private func encode(_ screen: ScannerScreen, spec: ClipSpec, to path: String) throws -> Int64 {
        let temporary = path + ".partial"
        let writer = try MediaWriter(path: temporary, format: spec.container, encoding: settings(for: spec))
        var rgb = [UInt8](repeating: 0, count: spec.width * spec.height * 3)
        do {
            for index in 0..<spec.frameCount {
                screen.render(frame: index, into: &rgb)
                let image = try Image(width: spec.width, height: spec.height, format: .rgb24, pixels: rgb)
                try writer.write(spec.colorUI ? image : image.grayscale())
            }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        let size = (try FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int64) ?? 0
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        return size
    }

    private func writeAtomically(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
