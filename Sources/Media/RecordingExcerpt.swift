import Foundation

/// A stretch of a recording re-encoded as VP8 in WebM, which browsers play whatever the
/// recording's own codec (MJPEG, FFV1 and Matroska are not played by browsers).
public enum RecordingExcerpt {
    /// Writes seconds `from` to `to` of the recording at `path` into `output` (a .webm file),
    /// scaled down to at most `maximumWidth` pixels wide. A failed write leaves no file.
    ///
    /// - Returns: the frames written.
    @discardableResult
    public static func write(from path: String, start: Double, end: Double, to output: String,
                             maximumWidth: Int = 960) throws(MediaError) -> Int {
        guard end > start, start >= 0, end - start <= 120 else {
            throw MediaError(.invalidArgument, "an excerpt runs from 0 s or later, ends after it starts and lasts at most 120 s (asked \(start)-\(end) s)")
        }
        let (source, decoder) = try open(path, at: start)
        // Even sides for 4:2:0, scaled so the page's player does not carry 1080p it shows smaller.
        let scale = min(1, Double(maximumWidth) / Double(source.video.width))
        let width = max(2, Int(Double(source.video.width) * scale) / 2 * 2)
        let height = max(2, Int(Double(source.video.height) * scale) / 2 * 2)
        let rate = max(1, Int(source.video.frameRate.rounded()))
        let writer = try MediaWriter(path: output, format: "webm",
                                     encoding: EncoderSettings(codec: .vp8(), width: width, height: height, frameRate: rate, keyframeInterval: rate))
        return try copy(from: source, decoder: decoder, start: start, end: end, into: writer, path: path)
    }

    /// The recording at `path`, positioned at `start`, and a decoder for it.
    static func open(_ path: String, at start: Double) throws(MediaError) -> (MediaSource, VideoDecoder) {
        let source = try MediaSource(.file(path))
        if let duration = source.video.duration, start > duration {
            throw MediaError(.invalidArgument, String(format: "the recording lasts %.1f s: ask for a time within it, not %.1f s", duration, start), path: path)
        }
        try source.seek(to: start)
        return (source, try VideoDecoder(for: source))
    }

    /// Decodes from the source's position and writes the frames timed `start` to `end`, then
    /// finishes `writer`; on any failure the writer's file is discarded.
    /// - Returns: the frames written.
    static func copy(from source: MediaSource, decoder: VideoDecoder, start: Double, end: Double, into writer: MediaWriter,
                     path: String) throws(MediaError) -> Int {
        do throws(MediaError) {
            var written = 0
            func take(_ frames: [Frame]) throws(MediaError) -> Bool {
                for frame in frames {
                    guard let time = frame.time else { continue }
                    if time > end { return false }
                    if time >= start {
                        try writer.write(frame)
                        written += 1
                    }
                }
                return true
            }
            reading: while let packet = try source.nextPacket() {
                if try !take(try decoder.decode(packet)) { break reading }
            }
            _ = try take(try decoder.flush())
            guard written > 0 else {
                throw MediaError(.invalidArgument, "the recording has no frames between \(start) and \(end) s (it lasts \(source.video.duration.map { String(format: "%.1f s", $0) } ?? "less"))", path: path)
            }
            try writer.finish()
            return written
        } catch {
            writer.discard()
            throw error
        }
    }
}
