import Foundation
import Media

/// Keeps the whole stream of a session in a container laid out to survive a crash.
///
/// - Compressed input (H.264, MJPEG, ...) is copied packet for packet, never re-encoded.
/// - Raw input (a capture card's YUYV) is encoded: H.264, or FFV1 when lossless is asked for
///   or a side is odd.
/// - H.264 and MJPEG go into fragmented MP4 with a fragment at least every second;
///   anything else into Matroska with a cluster at least every second. After `kill -9` or
///   a power cut, everything up to the last complete fragment or cluster plays.
/// - Nothing grows with the session's length: Matroska's muxer keeps a cue for every
///   keyframe in memory until the end, and every MJPEG picture is a keyframe (1.4 MB per
///   10 minutes at 60 fps), so MJPEG is fragmented by time instead (one index entry a second).
public final class Recorder {
    public enum Mode: Sendable, Equatable {
        case copy
        case encodeH264
        case encodeLossless
    }

    public let path: String
    public let mode: Mode
    private let writer: MediaWriter
    private let frameRate: Double
    private let codec: String
    private var lastFrameTime = 0.0

    /// The file name a recording of this source gets (`.mp4` or `.mkv`).
    public static func fileExtension(for video: VideoInfo, lossless: Bool) -> String {
        switch mode(for: video, lossless: lossless) {
        case .copy: ["h264", "mjpeg"].contains(video.codec) ? "mp4" : "mkv"
        case .encodeH264: "mp4"
        case .encodeLossless: "mkv"
        }
    }

    static func mode(for video: VideoInfo, lossless: Bool) -> Mode {
        // H.264's 4:2:0 needs even sides; a raw feed with an odd side (1023x481) is kept
        // losslessly instead of being cropped or padded.
        if video.codec == "rawvideo" { return lossless || !video.width.isMultiple(of: 2) || !video.height.isMultiple(of: 2) ? .encodeLossless : .encodeH264 }
        return .copy
    }

    /// Starts a recording of `source` at `path` (whose extension must match
    /// `fileExtension(for:lossless:)`).
    public init(path: String, source: MediaSource, lossless: Bool = false) throws(MediaError) {
        self.path = path
        mode = Self.mode(for: source.video, lossless: lossless)
        let video = source.video
        frameRate = video.frameRate
        codec = video.codec
        let rate = max(1, Int(video.frameRate.rounded()))
        switch mode {
        case .copy where video.codec == "h264":
            writer = try MediaWriter(path: path, format: "mp4", copying: source, options: Self.fragmentedMP4)
        case .copy where video.codec == "mjpeg":
            writer = try MediaWriter(path: path, format: "mp4", copying: source, options: Self.fragmentedByTime)
        case .copy:
            writer = try MediaWriter(path: path, format: "matroska", copying: source, options: Self.clusteredMatroska)
        case .encodeH264:
            var settings = EncoderSettings(codec: .h264(crf: 18, preset: "ultrafast"), width: video.width, height: video.height,
                                           frameRate: rate, keyframeInterval: rate)
            settings.clockRate = Self.clockRate
            writer = try MediaWriter(path: path, format: "mp4", encoding: settings, options: Self.fragmentedMP4)
        case .encodeLossless:
            var settings = EncoderSettings(codec: .ffv1, width: video.width, height: video.height, frameRate: rate,
                                           keyframeInterval: rate)
            settings.clockRate = Self.clockRate
            writer = try MediaWriter(path: path, format: "matroska", encoding: settings, options: Self.clusteredMatroska)
        }
    }

    /// Empty moov up front, then self-contained fragments of at most one second.
    /// Timestamps are kept as given (the session's clock): the muxer's default would move
    /// the first picture to 0, and every still's time would then miss the recording's by
    /// the moment the first picture arrived.
    static let fragmentedMP4 = [
        "movflags": "empty_moov+default_base_moof+frag_keyframe",
        "frag_duration": "1000000",
        "flush_packets": "1",
        "avoid_negative_ts": "make_non_negative",
    ]

    /// As ``fragmentedMP4`` but cut by time alone: every MJPEG picture is a keyframe, and a
    /// fragment per picture would cost a moof and an index entry each. A quarter of a
    /// second, because the muxer holds a fragment's pictures in memory until it closes
    /// (1080p60 MJPEG: 1-2 MB, against 4-7 MB for a whole second); four index entries a
    /// second stay under 0.2 MB an hour.
    static let fragmentedByTime = fragmentedMP4.merging(["movflags": "empty_moov+default_base_moof", "frag_duration": "250000"]) { $1 }

    /// Clusters of at most one second, flushed as they close; timestamps as given.
    static let clusteredMatroska = [
        "cluster_time_limit": "1000",
        "flush_packets": "1",
        "avoid_negative_ts": "make_non_negative",
    ]

    /// Records a packet (copy mode).
    public func record(_ packet: Packet) throws(MediaError) {
        try writer.write(packet)
    }

    /// Encoded pictures are timed by their frames' times (the session's clock when live),
    /// in 90 kHz ticks, so a variable rate stays variable.
    static let clockRate = 90_000

    /// Records a decoded frame (encode modes) at its time; a frame without one follows the last.
    public func record(_ frame: Frame) throws(MediaError) {
        let time = frame.time ?? lastFrameTime + 1 / max(frameRate, 1)
        lastFrameTime = time
        try writer.write(frame, at: time)
    }

    /// Whether a source that came back after a loss of signal can go on in this
    /// recording: a copied stream needs the same codec (its size may change; MJPEG and
    /// H.264 carry it in-band), an encoded one takes any picture.
    public func accepts(_ video: VideoInfo) -> Bool {
        mode != .copy || video.codec == codec
    }

    public var bytesWritten: Int64 { writer.bytesWritten }
    public var packetsWritten: Int { writer.packetsWritten }

    /// Writes the trailer; the file is then an ordinary, seekable recording.
    public func finish() throws(MediaError) {
        try writer.finish()
    }
}
