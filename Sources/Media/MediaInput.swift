/// Where video comes from: a file, a capture device, or a stream on a pipe.
public enum MediaInput: Sendable, Equatable, CustomStringConvertible {
    /// A file FFmpeg can demux (mp4, mkv, avi, mov, ...), probed by content.
    case file(String)
    /// A V4L2 capture device such as `/dev/video0` (a USB HDMI/SDI capture card).
    case device(String, DeviceOptions)
    /// A stream on a pipe: `-` for standard input, `pipe:N` for a descriptor, or the
    /// path of a FIFO. Pipes carry no file header to probe reliably, so the format is
    /// named (`mjpeg`, `h264`, `matroska`, `rawvideo`, ...).
    case pipe(String, format: String, options: StreamOptions = StreamOptions())

    /// The path or URL this input names, as it appears in messages.
    public var path: String {
        switch self {
        case .file(let path), .device(let path, _), .pipe(let path, _, _): path
        }
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .device(let path, let options): "\(path) (\(options))"
        case .pipe(let path, let format, _): "\(path) (\(format))"
        }
    }
}

/// What to ask of a capture device: the card offers several modes and picks its
/// own default otherwise, often a low resolution or frame rate.
public struct DeviceOptions: Sendable, Equatable, CustomStringConvertible {
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    /// The card's wire format: `mjpeg` (most USB cards at 1080p) or `yuyv422` (raw, lower rates).
    public var inputFormat: String?

    public init(width: Int? = nil, height: Int? = nil, frameRate: Double? = nil, inputFormat: String? = nil) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.inputFormat = inputFormat
    }

    /// The wire formats capture cards offer that NeedleLog knows how to ask for.
    public static let knownInputFormats = ["mjpeg", "yuyv422", "nv12", "yuv420p", "h264", "rgb24", "gray"]

    /// The options handed to libavdevice's v4l2 input, after checking them.
    public func v4l2Options() throws(MediaError) -> [String: String] {
        var options: [String: String] = [:]
        switch (width, height) {
        case (nil, nil):
            break
        case let (w?, h?):
            guard (16...8192).contains(w), (16...8192).contains(h) else {
                throw MediaError(.invalidArgument, "capture size \(w)x\(h) is out of range: width and height must be 16-8192, e.g. 1920x1080")
            }
            options["video_size"] = "\(w)x\(h)"
        default:
            throw MediaError(.invalidArgument, "capture size needs both width and height, e.g. 1920x1080")
        }
        if let frameRate {
            guard frameRate > 0, frameRate <= 240 else {
                throw MediaError(.invalidArgument, "frame rate \(frameRate) is out of range: use 1-240 frames per second, e.g. 30 or 60")
            }
            options["framerate"] = frameRate == frameRate.rounded() ? String(Int(frameRate)) : String(frameRate)
        }
        if let inputFormat {
            guard Self.knownInputFormats.contains(inputFormat) else {
                throw MediaError(.invalidArgument,
                                 "unknown capture input format \"\(inputFormat)\": use one of \(Self.knownInputFormats.joined(separator: ", "))")
            }
            options["input_format"] = inputFormat
        }
        return options
    }

    public var description: String {
        var parts: [String] = []
        if let width, let height { parts.append("\(width)x\(height)") }
        if let frameRate { parts.append("\(frameRate) fps") }
        if let inputFormat { parts.append(inputFormat) }
        return parts.isEmpty ? "device defaults" : parts.joined(separator: ", ")
    }
}

/// Options for a stream whose format cannot be probed, such as raw frames on a pipe.
public struct StreamOptions: Sendable, Equatable {
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    /// For `rawvideo`: the pixel layout, e.g. `gray`, `rgb24`, `yuv420p`, `yuyv422`.
    public var pixelFormat: String?

    public init(width: Int? = nil, height: Int? = nil, frameRate: Double? = nil, pixelFormat: String? = nil) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.pixelFormat = pixelFormat
    }

    func demuxerOptions(format: String) throws(MediaError) -> [String: String] {
        var options: [String: String] = [:]
        if let width, let height { options["video_size"] = "\(width)x\(height)" }
        if let frameRate { options["framerate"] = String(frameRate) }
        if let pixelFormat { options["pixel_format"] = pixelFormat }
        if format == "rawvideo" {
            guard width != nil, height != nil, pixelFormat != nil else {
                throw MediaError(.invalidArgument,
                                 "raw video on a pipe carries no header: give its size and pixel format, e.g. 1920x1080 gray")
            }
        }
        return options
    }
}
