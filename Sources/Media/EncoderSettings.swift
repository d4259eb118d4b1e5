/// How to compress pictures into video.
public struct EncoderSettings: Sendable, Equatable {
    public enum Codec: Sendable, Equatable {
        /// H.264 through libx264. `crf` 0-51 (lower is better, 18 visually lossless,
        /// 23 default); `preset` trades speed for size (ultrafast ... veryslow).
        case h264(crf: Int = 23, preset: String = "veryfast")
        /// Motion JPEG, every frame a JPEG: what USB capture cards send. `quality` 2-31,
        /// lower is better.
        case mjpeg(quality: Int = 5)
        /// H.264 High profile at a level (`"4.1"`, `"4.2"`) in 4:2:0 BT.601 limited range, rate
        /// and buffer capped to the level: the cine loops DICOM carries as video (PS3.5 8.2.8).
        case h264High(level: String, crf: Int = 18)
        /// FFV1, lossless: for recordings that must keep every pixel.
        case ffv1
        /// VP8 for WebM, which every browser plays: recordings converted for viewing.
        case vp8(bitrate: Int = 2_000_000)
    }

    public var codec: Codec
    public var width: Int
    public var height: Int
    /// Frames per second, as a whole number (30, 60) or a rational such as 30000/1001.
    public var frameRateNumerator: Int
    public var frameRateDenominator: Int
    /// Longest run of frames between keyframes; nil for the codec's default. A short
    /// interval bounds what a crash can cost and makes seeking precise.
    public var keyframeInterval: Int?
    /// Encoder threads; 0 lets FFmpeg choose. 1 makes libx264 output reproducible.
    public var threads: Int
    /// Ticks a second when the caller times each picture (`MediaWriter.write(_:at:)`), as a
    /// live recording does with its session clock; nil times pictures one frame apart.
    public var clockRate: Int?

    public init(codec: Codec, width: Int, height: Int, frameRate: Int, keyframeInterval: Int? = nil, threads: Int = 0) {
        self.init(codec: codec, width: width, height: height, frameRateNumerator: frameRate, frameRateDenominator: 1,
                  keyframeInterval: keyframeInterval, threads: threads)
    }

    public init(codec: Codec, width: Int, height: Int, frameRateNumerator: Int, frameRateDenominator: Int,
                keyframeInterval: Int? = nil, threads: Int = 0) {
        self.codec = codec
        self.width = width
        self.height = height
        self.frameRateNumerator = frameRateNumerator
        self.frameRateDenominator = frameRateDenominator
        self.keyframeInterval = keyframeInterval
        self.threads = threads
    }

    var codecName: String {
        switch codec {
        case .h264, .h264High: "libx264"
        case .mjpeg: "mjpeg"
        case .ffv1: "ffv1"
        case .vp8: "libvpx"
        }
    }

    func validate() throws(MediaError) {
        guard width > 0, height > 0, width <= MediaSource.maximumDimension, height <= MediaSource.maximumDimension else {
            throw MediaError(.invalidArgument, "cannot encode \(width)x\(height): sides must be 1-\(MediaSource.maximumDimension)")
        }
        guard frameRateNumerator > 0, frameRateDenominator > 0 else {
            throw MediaError(.invalidArgument, "frame rate \(frameRateNumerator)/\(frameRateDenominator) must be positive, e.g. 30/1")
        }
        switch codec {
        case .h264(let crf, let preset):
            guard (0...51).contains(crf) else {
                throw MediaError(.invalidArgument, "H.264 crf \(crf) is out of range: use 0-51 (23 is the default)")
            }
            let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]
            guard presets.contains(preset) else {
                throw MediaError(.invalidArgument, "unknown H.264 preset \"\(preset)\": use one of \(presets.joined(separator: ", "))")
            }
            guard width % 2 == 0, height % 2 == 0 else {
                throw MediaError(.invalidArgument, "H.264 in 4:2:0 needs even sides, not \(width)x\(height)")
            }
        case .h264High(let level, let crf):
            guard ["4.1", "4.2"].contains(level), (0...51).contains(crf) else {
                throw MediaError(.invalidArgument, "H.264 High at level \(level), crf \(crf): the levels are 4.1 and 4.2, crf 0-51")
            }
            guard width % 2 == 0, height % 2 == 0 else {
                throw MediaError(.invalidArgument, "H.264 in 4:2:0 needs even sides, not \(width)x\(height)")
            }
        case .mjpeg(let quality):
            guard (2...31).contains(quality) else {
                throw MediaError(.invalidArgument, "MJPEG quality \(quality) is out of range: use 2-31 (lower is better)")
            }
        case .ffv1:
            break
        case .vp8(let bitrate):
            guard (100_000...50_000_000).contains(bitrate) else {
                throw MediaError(.invalidArgument, "VP8 bitrate \(bitrate) is out of range: use 100000-50000000 bits per second")
            }
        }
    }
}
