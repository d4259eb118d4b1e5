import Archive
import ArgumentParser
import Foundation
import Media

/// What storing a still costs: PNG encoding of 1080p frames as the capture engine does it
/// (8-bit gray when the screen has no colour, libpng's fast settings), and the durable
/// write into the still store (SHA-256 name, temporary file, fsync, rename).
/// Run through tools/bench-still, in a release build, which times FFmpeg's own PNG
/// encoder on the same frames beside it.
@main
struct StillBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needlelog-bench-still")

    @Option(help: "Clip whose frames are encoded.") var file = "SampleData/lumbar-1920x1080-60fps.mp4"
    @Option(help: "Frames to encode.") var frames = 60

    func run() throws {
        let source = try MediaSource(.file(file))
        let decoder = try VideoDecoder(for: source)
        let converter = PixelConverter()
        var gray: [Image] = [], rgb: [Image] = []
        reading: while let packet = try source.nextPacket() {
            for frame in try decoder.decode(packet) {
                gray.append(try converter.image(from: frame, format: .gray8))
                rgb.append(try converter.image(from: frame, format: .rgb24))
                if gray.count == frames { break reading }
            }
        }
        guard let first = gray.first else { throw ValidationError("\(file) has no frames") }
        print("frames: \(gray.count) of \(file), \(first.width)x\(first.height)")

        let folder = NSTemporaryDirectory() + "needlelog-bench-still-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = StillFileStore(location: ArchiveLocation(path: folder))
        try FileManager.default.createDirectory(atPath: store.location.stills.path, withIntermediateDirectories: true)

        for (label, images) in [("gray", gray), ("rgb", rgb)] {
            var encode: [Double] = [], write: [Double] = [], bytes = 0
            for image in images {
                let started = ContinuousClock.now
                let png = try PNG.encode(image, options: .fast)
                let encoded = ContinuousClock.now
                _ = try store.store(png)
                let stored = ContinuousClock.now
                encode.append(Self.milliseconds(encoded - started))
                write.append(Self.milliseconds(stored - encoded))
                bytes += png.count
            }
            print(String(format: "%@ PNG encode: p50 %.2f ms, p99 %.2f ms, %.0f KB a still; durable write: p50 %.2f ms, p99 %.2f ms",
                         label, Self.percentile(encode, 50), Self.percentile(encode, 99), Double(bytes) / Double(images.count) / 1024,
                         Self.percentile(write, 50), Self.percentile(write, 99)))
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p / 100).rounded(.up)) - 1))]
    }
}
