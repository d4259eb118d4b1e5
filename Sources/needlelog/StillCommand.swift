import ArgumentParser
import Foundation
import Media

/// `needlelog still FILE --at SECONDS --out STILL.png`: one frame as a lossless PNG.
struct StillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "still",
        abstract: "Save the frame shown at a given time as a PNG (gray when the frame has no colour, RGB otherwise)."
    )

    @Argument(help: "Video file.")
    var file: String

    @Option(help: "Time of the frame in seconds from the start.")
    var at: Double

    @Option(help: "Where to write the PNG.")
    var out: String

    @Option(help: "PNG compression level, 0-9.")
    var compression = 6

    func validate() throws {
        guard at >= 0 else { throw ValidationError("--at must be a time in seconds from the start, e.g. 12.5") }
        guard out.hasSuffix(".png") else { throw ValidationError("--out must name a .png file, e.g. still.png") }
        guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0-9") }
    }

    func run() throws {
        let (frame, image) = try extract()
        let data = try PNG.encode(image, options: .init(compressionLevel: compression),
                                  text: [PNGText("Source", URL(fileURLWithPath: file).lastPathComponent),
                                         PNGText("needlelog:time", String(format: "%.3f", frame.time ?? at))])
        // Written whole to a temporary name and renamed: never a half PNG at `out`.
        try data.write(to: URL(fileURLWithPath: out), options: .atomic)
        print("\(out): \(image.width)x\(image.height) \(image.format.rawValue), frame at \(String(format: "%.3f", frame.time ?? at)) s, \(data.count) bytes")
    }

    private func extract() throws -> (Frame, Image) {
        let source = try MediaSource(.file(file))
        let decoder = try VideoDecoder(for: source)
        var shown: Frame?
        // The frame on screen at `at` is the last one whose time is not after it.
        func consider(_ frames: [Frame]) -> Bool {
            for frame in frames {
                if let time = frame.time, time > at + 1e-6 { return true }
                shown = frame
            }
            return false
        }
        var passed = false
        while !passed, let packet = try source.nextPacket() {
            passed = consider(try decoder.decode(packet))
        }
        if !passed { _ = consider(try decoder.flush()) }
        guard let frame = shown else {
            throw CommandError("\(file): no frame at \(at) s")
        }
        if !passed, let duration = source.video.duration, at > duration + 0.1 {
            throw CommandError("\(file): \(at) s is past the end of the clip (\(String(format: "%.2f", duration)) s)")
        }
        let image = try PixelConverter().image(from: frame, format: frame.carriesColor() ? .rgb24 : .gray8)
        return (frame, image)
    }
}
