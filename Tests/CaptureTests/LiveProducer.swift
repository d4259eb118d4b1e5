import Foundation
import Testing

/// A live producer as clinics have them: ffmpeg encoding a SampleData clip in real time
/// (`-re`) into a FIFO, as a network encoder or a DeckLink pipeline would, in any of the
/// stream formats a pipe carries.
final class LiveProducer: @unchecked Sendable {
    struct Format: CustomTestStringConvertible, Sendable {
        /// The demuxer NeedleLog names for the pipe (`--format`).
        var demuxer: String
        /// ffmpeg's output arguments: codec and muxer.
        var output: [String]
        var rate: Int

        var testDescription: String { "\(demuxer) at \(rate) fps" }

        static func mjpeg(_ rate: Int) -> Format { Format(demuxer: "mjpeg", output: ["-c:v", "mjpeg", "-q:v", "4", "-f", "mjpeg"], rate: rate) }
        static func h264(_ rate: Int) -> Format {
            Format(demuxer: "h264", output: ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "\(rate)", "-f", "h264"], rate: rate)
        }
        static func hevc(_ rate: Int) -> Format {
            Format(demuxer: "hevc", output: ["-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-x265-params", "log-level=none", "-f", "hevc"], rate: rate)
        }
        static func mpegts(_ rate: Int) -> Format {
            Format(demuxer: "mpegts", output: ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "\(rate)", "-f", "mpegts"], rate: rate)
        }
        static func matroska(_ rate: Int) -> Format { Format(demuxer: "matroska", output: ["-c:v", "mjpeg", "-q:v", "4", "-f", "matroska"], rate: rate) }
        static func rawvideo(_ rate: Int) -> Format { Format(demuxer: "rawvideo", output: ["-pix_fmt", "gray", "-f", "rawvideo"], rate: rate) }
    }

    private let process = Process()

    /// Starts ffmpeg writing `seconds` of `clip` at the format's rate into `fifo`.
    init(clip: String, fifo: String, format: Format, seconds: Double) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip, "-t", String(seconds),
                             "-vf", "fps=\(format.rate)", "-an"] + format.output + ["-y", fifo]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func waitUntilDone() {
        process.waitUntilExit()
    }

    /// SIGKILL: the test process blocks SIGTERM, and its children inherit the mask, so
    /// `terminate()` would leave ffmpeg running.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}
