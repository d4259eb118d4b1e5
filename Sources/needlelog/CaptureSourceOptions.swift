import ArgumentParser
import Media
import Server

/// Where the video comes from, shared by `record` and `daemon`.
struct CaptureSourceOptions: ParsableArguments {
    @Option(help: "Capture device, e.g. /dev/video0.") var device: String?
    @Option(help: "Stream on a pipe: - for standard input, or a FIFO path (needs --format).") var pipe: String?
    @Option(help: "A file to read as if live (paced by its timestamps).") var file: String?
    @Option(help: "Format of the pipe's stream: mjpeg, h264, matroska, mpegts, rawvideo.") var format: String?
    @Option(help: "Picture size for a device or raw pipe, e.g. 1920x1080.") var size: String?
    @Option(help: "Frame rate for a device or raw pipe.") var fps: Double?
    @Option(name: .customLong("input-format"), help: "Device wire format: mjpeg or yuyv422.") var inputFormat: String?
    @Option(name: .customLong("pixel-format"), help: "Raw pipe pixel format, e.g. gray, yuyv422, rgb24.") var pixelFormat: String?

    func validate() throws {
        // Exactly one is checked when the input is made: the daemon may take it from its file.
        guard [device, pipe, file].compactMap({ $0 }).count <= 1 else { throw ValidationError("give one of --device, --pipe or --file, not several") }
    }

    /// These options, with what the command line left out taken from the daemon's file.
    func filling(from settings: DaemonSettings) -> CaptureSourceOptions {
        var merged = self
        if device == nil && pipe == nil && file == nil {
            merged.device = settings.device
            merged.pipe = settings.pipe
            merged.file = settings.file
        }
        merged.format = format ?? settings.format
        merged.size = size ?? settings.size
        merged.fps = fps ?? settings.frameRate
        merged.inputFormat = inputFormat ?? settings.inputFormat
        merged.pixelFormat = pixelFormat ?? settings.pixelFormat
        return merged
    }

    /// A file source is paced in real time; devices and pipes are live already.
    var isFile: Bool { file != nil }
    /// Whether any source is named.
    var isGiven: Bool { device != nil || pipe != nil || file != nil }

    func input() throws -> MediaInput {
        guard [device, pipe, file].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --device, --pipe or --file (or capture.device, .pipe or .file in the daemon's file)")
        }
        if pipe != nil, format == nil { throw ValidationError("--pipe needs --format (mjpeg, h264, matroska, mpegts or rawvideo)") }
        var width: Int?, height: Int?
        if let size {
            let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2 else { throw ValidationError("--size \"\(size)\" should be WIDTHxHEIGHT, e.g. 1920x1080") }
            (width, height) = (parts[0], parts[1])
        }
        if let device {
            return .device(device, DeviceOptions(width: width, height: height, frameRate: fps, inputFormat: inputFormat))
        }
        if let pipe, let format {
            return .pipe(pipe, format: format, options: StreamOptions(width: width, height: height, frameRate: fps, pixelFormat: pixelFormat))
        }
        return .file(file ?? "")
    }
}
