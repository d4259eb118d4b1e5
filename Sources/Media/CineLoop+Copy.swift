internal import CFFmpeg
import Foundation

extension CineLoop {
    /// H.264 profiles whose streams a High profile decoder plays (PS3.5 8.2.8 names High):
    /// High, Main, Constrained Baseline. Plain Baseline may use tools High lacks.
    static let copyableProfiles: Set<Int32> = [100, 77, 66 | 0x200]

    /// Why the recording's video cannot go into DICOM as it is, or nil when it can: H.264
    /// in a profile above, 8-bit 4:2:0 in limited range, at its full size, signalling a level
    /// no higher than the one its size and rate need.
    static func copyRefusal(_ source: MediaSource, planned: (width: Int, height: Int, level: String, syntax: String)) -> String? {
        let video = source.video
        let parameters = source.codecParameters.pointee
        guard video.codec == "h264" else { return "\(video.codec), not H.264" }
        guard video.pixelFormat == "yuv420p", parameters.color_range != AVCOL_RANGE_JPEG else { return "\(video.pixelFormat), not limited-range 4:2:0" }
        guard copyableProfiles.contains(parameters.profile) else { return "H.264 profile \(parameters.profile), not High, Main or Constrained Baseline" }
        guard planned.width == video.width, planned.height == video.height else { return "larger than level 4.2 holds" }
        let level = planned.level == "4.1" ? 41 : 42
        guard parameters.level > 0, parameters.level <= level else { return "level \(Double(parameters.level) / 10), above \(planned.level)" }
        return nil
    }

    /// Copies the recording's packets from the keyframe at or before `start` through the
    /// last one decoded by `end` into `output` (MP4, the first frame at time 0), when the
    /// recording's H.264 may go into DICOM as it is; nil (and no file) when it may not.
    static func copy(_ source: MediaSource, path: String, start: Double, end: Double, to output: String) throws(MediaError) -> Facts? {
        let rate = source.video.frameRate > 0 ? source.video.frameRate : 30
        let (numerator, denominator) = fraction(rate)
        let planned = plan(width: source.video.width, height: source.video.height, rate: Double(numerator) / Double(denominator))
        guard copyRefusal(source, planned: planned) == nil else { return nil }
        let writer = try MediaWriter(path: output, format: "mp4", copying: source, options: ["movflags": "+faststart"])
        do throws(MediaError) {
            var written = 0
            var first: (time: Double, ticks: Int64)?
            var lastShown = -Double.infinity
            while let packet = try source.nextPacket() {
                // Decode order: every packet decoded by `end` is in, so each frame shown has
                // the frames it refers to; past it, only the B-frames shown before a frame
                // already in, so the loop shows no gap at its end.
                guard let time = packet.decodeTime ?? packet.time else { continue }
                let shown = packet.time ?? time
                if first == nil {
                    guard packet.isKeyframe else { continue }
                    first = (shown, packet.pointer.pointee.pts - packet.startTimestamp)
                }
                if time > end && shown >= lastShown { break }
                lastShown = max(lastShown, shown)
                // The loop's clock starts at its first frame.
                packet.startTimestamp += first?.ticks ?? 0
                try writer.write(packet)
                written += 1
            }
            guard written > 0, let first else {
                throw MediaError(.invalidArgument, "the recording has no frames between \(start) and \(end) s", path: path)
            }
            try writer.finish()
            return Facts(width: planned.width, height: planned.height, frames: written, frameRateNumerator: numerator,
                         frameRateDenominator: denominator, level: planned.level, transferSyntax: planned.syntax, copied: true, start: first.time)
        } catch {
            writer.discard()
            throw error
        }
    }
}
