internal import CFFmpeg

/// Decodes a source's video packets into frames (libavcodec, frame-threaded).
///
/// Damaged packets do not stop decoding: they are counted in `errorCount` and
/// skipped, as a live recorder must carry on past a glitch on the cable.
public final class VideoDecoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private let scratch: UnsafeMutablePointer<AVFrame>
    private let timeBase: AVRational
    private let startTimestamp: Int64
    private let path: String

    /// Packets the decoder rejected as damaged, and frames it flagged as corrupt.
    public private(set) var errorCount = 0
    /// Frames produced so far.
    public private(set) var frameCount = 0

    /// - Parameter threads: decoding threads; 0 lets FFmpeg pick one per core.
    /// - Throws: `MediaError(.unsupported)` when no decoder exists for the codec.
    public init(for source: MediaSource, threads: Int = 0) throws(MediaError) {
        path = source.input.path
        timeBase = source.timeBase
        startTimestamp = source.startTimestamp
        let parameters = source.codecParameters
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw MediaError(.unsupported, "has video in \(source.video.codec), which this FFmpeg cannot decode", path: path)
        }
        guard let context = avcodec_alloc_context3(codec), let frame = av_frame_alloc() else {
            throw MediaError(.outOfMemory, "could not allocate a decoder", path: path)
        }
        self.context = context
        scratch = frame
        try FFmpegRuntime.check(avcodec_parameters_to_context(context, parameters), doing: "configure the decoder", path: path)
        context.pointee.thread_count = Int32(threads)
        context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        context.pointee.pkt_timebase = timeBase
        try FFmpegRuntime.check(avcodec_open2(context, codec, nil), doing: "open the \(source.video.codec) decoder", path: path)
    }

    deinit {
        avcodec_free_context(&context)
        var frame: UnsafeMutablePointer<AVFrame>? = scratch
        av_frame_free(&frame)
    }

    /// Feeds one packet and returns the frames that became ready (zero, one, or
    /// more when a frame-threaded decoder catches up).
    public func decode(_ packet: Packet) throws(MediaError) -> [Frame] {
        guard let context else { return [] }
        var frames: [Frame] = []
        var sent = avcodec_send_packet(context, packet.pointer)
        if sent == nl_averror_eagain() {
            // The decoder is full: drain it, then the packet fits.
            try drain(into: &frames)
            sent = avcodec_send_packet(context, packet.pointer)
        }
        if sent < 0 {
            if sent == nl_averror_invaliddata() || FFmpegRuntime.kind(for: sent) == .ffmpeg {
                errorCount += 1
                return frames
            }
            throw FFmpegRuntime.error(sent, doing: "decode a packet", path: path)
        }
        try drain(into: &frames)
        return frames
    }

    /// Signals the end of input and returns the frames still held by the decoder.
    public func flush() throws(MediaError) -> [Frame] {
        guard let context else { return [] }
        var frames: [Frame] = []
        let sent = avcodec_send_packet(context, nil)
        if sent < 0, sent != nl_averror_eof() {
            throw FFmpegRuntime.error(sent, doing: "flush the decoder", path: path)
        }
        try drain(into: &frames)
        return frames
    }

    private func drain(into frames: inout [Frame]) throws(MediaError) {
        guard let context else { return }
        while true {
            let received = avcodec_receive_frame(context, scratch)
            if received == nl_averror_eagain() || received == nl_averror_eof() { return }
            if received < 0 {
                if received == nl_averror_invaliddata() {
                    errorCount += 1
                    continue
                }
                throw FFmpegRuntime.error(received, doing: "decode a frame", path: path)
            }
            if scratch.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 { errorCount += 1 }
            frames.append(Frame(movingFrom: scratch, timeBase: timeBase, startTimestamp: startTimestamp))
            frameCount += 1
        }
    }
}
