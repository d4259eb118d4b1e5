/// What a video stream is: codec, size, rate and length, as far as the container says.
public struct VideoInfo: Sendable, Equatable, Codable {
    /// The container FFmpeg recognised, e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `v4l2`.
    public var container: String
    /// The codec's short name, e.g. `h264`, `mjpeg`, `rawvideo`.
    public var codec: String
    public var width: Int
    public var height: Int
    /// The decoded pixel layout's FFmpeg name, e.g. `yuv420p`, `yuvj422p`, `yuyv422`.
    public var pixelFormat: String
    /// Frames per second (the stream's average rate, or its base rate when no average is known).
    public var frameRate: Double
    /// Seconds, when the container knows.
    public var duration: Double?
    /// Number of frames, when the container records it (MP4 does, Matroska and pipes do not).
    public var frameCount: Int?
    /// Bits per second of the video stream (or the whole file) when known.
    public var bitRate: Int?

    public init(container: String, codec: String, width: Int, height: Int, pixelFormat: String,
                frameRate: Double, duration: Double?, frameCount: Int?, bitRate: Int?) {
        self.container = container
        self.codec = codec
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.frameRate = frameRate
        self.duration = duration
        self.frameCount = frameCount
        self.bitRate = bitRate
    }
}
