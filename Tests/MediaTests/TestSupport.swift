import Foundation
@testable import Media

/// A scratch folder removed when the test's value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "needlelog-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

enum TestPictures {
    /// A picture that changes with `index`: a moving diagonal gradient with a bright bar,
    /// smooth enough to compress and distinct enough to tell frames apart.
    static func moving(_ index: Int, width: Int, height: Int, format: Image.Format) -> Image {
        var image = Image(width: width, height: height, format: format)
        let bar = (index * 7) % width
        for y in 0..<height {
            for x in 0..<width {
                var value = UInt8(truncatingIfNeeded: (x + y + index * 3) / 2)
                if abs(x - bar) < 4 { value = 250 }
                let offset = (y * width + x) * format.channels
                if format == .gray8 {
                    image.pixels[offset] = value
                } else {
                    image.pixels[offset] = value
                    image.pixels[offset + 1] = UInt8(truncatingIfNeeded: Int(value) / 2 + y)
                    image.pixels[offset + 2] = UInt8(truncatingIfNeeded: 255 - Int(value))
                }
            }
        }
        return image
    }

    /// Writes `count` moving pictures with `settings` and returns the path.
    @discardableResult
    static func writeClip(_ path: String, count: Int, settings: EncoderSettings, format: Image.Format = .gray8,
                          options: [String: String] = [:]) throws -> String {
        let writer = try MediaWriter(path: path, encoding: settings, options: options)
        for i in 0..<count {
            try writer.write(moving(i, width: settings.width, height: settings.height, format: format))
        }
        try writer.finish()
        return path
    }
}

/// Reads every frame of an input; returns the frames and the source's description.
func decodeAll(_ input: MediaInput) throws -> (info: VideoInfo, frames: [Frame], errors: Int) {
    let source = try MediaSource(input)
    let decoder = try VideoDecoder(for: source)
    var frames: [Frame] = []
    while let packet = try source.nextPacket() {
        frames += try decoder.decode(packet)
    }
    frames += try decoder.flush()
    return (source.video, frames, decoder.errorCount)
}

/// Mean absolute difference between two pictures of the same size and format.
func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
    precondition(a.pixels.count == b.pixels.count)
    var total = 0
    for i in 0..<a.pixels.count { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
    return Double(total) / Double(a.pixels.count)
}
