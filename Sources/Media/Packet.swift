internal import CFFmpeg
import Foundation

/// One compressed unit of video (usually one frame) as read from a source.
///
/// Owns a reference-counted FFmpeg packet; the payload is shared, never copied, when
/// the same packet goes to both the recorder and the decoder. The reader may retime it
/// (``retime(presentation:decoding:)``) before handing it on; after that it is not
/// changed, so it may cross tasks.
public final class Packet: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVPacket>
    var timeBase = AVRational(num: 1, den: 1)
    var startTimestamp: Int64 = 0
    /// When the packet's last byte arrived, for a live pipe (nil for other sources): the
    /// moment the picture was there, which can be a frame before FFmpeg hands it over.
    public internal(set) var arrival: ContinuousClock.Instant?

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc failed: out of memory") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    /// Presentation time in seconds from the start of the stream, when known.
    public var time: Double? { seconds(pointer.pointee.pts) }

    /// Decoding time in seconds from the start of the stream, when known.
    public var decodeTime: Double? { seconds(pointer.pointee.dts) }

    /// How long this packet shows, in seconds, when known.
    public var duration: Double? {
        pointer.pointee.duration > 0 ? Double(pointer.pointee.duration) * timeBase.doubleValue : nil
    }

    /// True for a packet that decodes on its own (an I-frame, or any MJPEG frame).
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// True when the demuxer flagged the payload as damaged.
    public var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }

    /// Payload size in bytes.
    public var size: Int { Int(pointer.pointee.size) }

    /// A copy of the payload.
    public var data: Data {
        guard let bytes = pointer.pointee.data, pointer.pointee.size > 0 else { return Data() }
        return Data(bytes: bytes, count: Int(pointer.pointee.size))
    }

    private func seconds(_ timestamp: Int64) -> Double? {
        timestamp == nl_nopts_value() ? nil : Double(timestamp - startTimestamp) * timeBase.doubleValue
    }

    /// Puts the packet on another clock: presentation and decoding times in seconds from
    /// the start of the stream, as a session's timeline gives them. The recorder and the
    /// decoder then see these times instead of the source's own (or missing) ones.
    /// Times a timestamp cannot hold are clamped, never trapped on.
    public func retime(presentation: Double, decoding: Double) {
        pointer.pointee.pts = timestamp(presentation)
        pointer.pointee.dts = timestamp(min(decoding, presentation))
    }

    private func timestamp(_ seconds: Double) -> Int64 {
        let ticks = (seconds / timeBase.doubleValue).rounded()
        // About 29 years at a 1/10,000,000 time base: far beyond any session.
        let bounded = ticks.isFinite ? min(max(ticks, 0), 9e15) : 0
        return startTimestamp + Int64(bounded)
    }

    /// A new reference to the same payload, for a consumer (the muxer) that takes ownership.
    func makeReference() -> UnsafeMutablePointer<AVPacket>? {
        av_packet_clone(pointer)
    }
}
