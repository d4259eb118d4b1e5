import Foundation

/// A stretch of a recording as the H.264 video DICOM carries (PS3.5 8.2.8): High profile in
/// an MP4 file (the container the standard names; a raw stream is allowed only for MPEG-2),
/// 4:2:0 BT.601 limited range, square pixels, the recording's own frame rate, at the lowest
/// level that holds it: 4.1 (transfer syntax 1.2.840.10008.1.2.4.102) or 4.2 (.104), scaled
/// down only when even 4.2 cannot. A recording that is such H.264 already (a scanner's or
/// capture card's H.264, copied as it came) is copied, not encoded again: no loss, and
/// seconds instead of minutes.
public enum CineLoop {
    /// What was written, as the DICOM object must describe it.
    public struct Facts: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var frames: Int
        /// Frames per second, as a fraction.
        public var frameRateNumerator: Int
        public var frameRateDenominator: Int
        /// `4.1` or `4.2`.
        public var level: String
        /// The transfer syntax for that level.
        public var transferSyntax: String
        /// The recording's own H.264, copied from the keyframe at or before the start asked;
        /// false when encoded.
        public var copied = false
        /// The first frame's second in the recording (a copy starts at a keyframe).
        public var start: Double = 0

        public var frameRate: Double { Double(frameRateNumerator) / Double(frameRateDenominator) }
    }

    /// Level 4.1 and 4.2's limits: macroblocks a frame, and a second.
    static let levels: [(name: String, frame: Int, second: Int, syntax: String)] = [
        ("4.1", 8192, 245_760, "1.2.840.10008.1.2.4.102"),
        ("4.2", 8704, 522_240, "1.2.840.10008.1.2.4.104"),
    ]

    /// The size and level for a picture of `width`x`height` at `rate` frames a second:
    /// even sides, the largest scale (at most 1) whose macroblocks fit a level.
    public static func plan(width: Int, height: Int, rate: Double) -> (width: Int, height: Int, level: String, syntax: String) {
        var scale = 1.0
        while true {
            let w = max(16, Int(Double(width) * scale) / 2 * 2), h = max(16, Int(Double(height) * scale) / 2 * 2)
            let blocks = ((w + 15) / 16) * ((h + 15) / 16)
            if let level = levels.first(where: { blocks <= $0.frame && Double(blocks) * rate <= Double($0.second) }) {
                return (w, h, level.name, level.syntax)
            }
            scale *= 0.9
        }
    }

    /// The longest loop, in seconds: the video is one fragment of one DICOM object, held in
    /// memory as it is written, and a PACS viewer loads it whole.
    public static let longest = 300.0

    /// Writes seconds `start` to `end` of the recording at `path` into `output` (an .mp4
    /// file). A failed write leaves no file.
    public static func write(from path: String, start: Double, end: Double, to output: String) throws(MediaError) -> Facts {
        guard end > start, start >= 0, end - start <= longest else {
            throw MediaError(.invalidArgument, "a cine loop runs from 0 s or later, ends after it starts and lasts at most \(Int(longest)) s (asked \(start)-\(end) s)")
        }
        let (source, decoder) = try RecordingExcerpt.open(path, at: start)
        if let facts = try copy(source, path: path, start: start, end: end, to: output) { return facts }
        let rate = source.video.frameRate > 0 ? source.video.frameRate : 30
        let whole = rate.rounded()
        let (numerator, denominator) = fraction(rate)
        let planned = plan(width: source.video.width, height: source.video.height, rate: Double(numerator) / Double(denominator))
        let writer = try MediaWriter(path: output, format: "mp4",
                                     encoding: EncoderSettings(codec: .h264High(level: planned.level), width: planned.width, height: planned.height,
                                                               frameRateNumerator: numerator, frameRateDenominator: denominator,
                                                               keyframeInterval: max(1, Int(whole))),
                                     options: ["movflags": "+faststart"])
        let written = try RecordingExcerpt.copy(from: source, decoder: decoder, start: start, end: end, into: writer, path: path)
        return Facts(width: planned.width, height: planned.height, frames: written, frameRateNumerator: numerator,
                     frameRateDenominator: denominator, level: planned.level, transferSyntax: planned.syntax, start: start)
    }

    /// The rate as a fraction: 59.94 as 60000/1001, 61 as 61/1.
    static func fraction(_ rate: Double) -> (numerator: Int, denominator: Int) {
        let whole = rate.rounded()
        if abs(rate - whole) < 0.01 { return (Int(whole), 1) }
        if abs(rate * 1.001 - (rate * 1.001).rounded()) < 0.01 { return (Int((rate * 1.001).rounded()) * 1000, 1001) }
        return (Int((rate * 1000).rounded()), 1000)
    }
}
