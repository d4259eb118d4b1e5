import Foundation
import Media
import Testing

/// The ffmpeg command-line tool, as the reference the tests compare NeedleLog with: it
/// makes test clips from SampleData in other sizes, layouts and codecs, and decodes
/// single frames the way FFmpeg itself shows them.
enum FFmpegCLI {
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs ffmpeg to completion; throws with its last lines when it fails.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-nostdin"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        guard process.terminationStatus == 0 else {
            throw Failed(description: "ffmpeg \(arguments.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self).suffix(600))")
        }
        return data
    }

    /// Frame `index` of `clip` (counted from 0 in decoding order of presentation) as
    /// FFmpeg converts it to full-range gray or RGB.
    static func frame(_ index: Int, of clip: String, format: Image.Format, width: Int, height: Int) throws -> Image {
        let pixelFormat = format == .gray8 ? "gray" : "rgb24"
        let data = try run(["-i", clip, "-vf", "select=eq(n\\,\(index)),scale=out_range=full:flags=bilinear+accurate_rnd+full_chroma_int",
                            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", pixelFormat, "-"])
        return try Image(width: width, height: height, format: format, pixels: [UInt8](data))
    }
}

extension Image {
    /// Mean absolute difference per byte from `other` (same size and format).
    func meanDifference(from other: Image) -> Double {
        precondition(width == other.width && height == other.height && format == other.format)
        var total = 0
        for i in pixels.indices { total += abs(Int(pixels[i]) - Int(other.pixels[i])) }
        return Double(total) / Double(pixels.count)
    }
}
