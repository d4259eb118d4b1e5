internal import CFFmpeg

/// Decodes a source's video packets into frames (libavcodec, frame-threaded).
///
/// Damaged packets do not stop decoding: they are counted in `errorCount` and
/// skipped, as a live recorder must carry on past a glitch on the cable.
public final class VideoDecoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    /// A second, single-threaded context for ``decodeAlone(_:)`` (intra-only codecs).
    private var standalone: UnsafeMutablePointer<AVCodecContext>?
    private let scratch: UnsafeMutablePointer<AVFrame>
    private let timeBase: AVRational
    private let startTimestamp: Int64
    private let path: String

    /// Packets the decoder rejected as damaged, and frames it flagged as corrupt.
    public private(set) var errorCount = 0
    /// Frames produced so far.
    public private(set) var frameCount = 0
    /// True when every packet decodes on its own (MJPEG, rawvideo; not FFV1): a packet can
    /// stand for its picture and be decoded later, alone (``decodeAlone(_:)``).
    public let isIntraOnly: Bool

    /// Lets the decoder drop pictures no other picture refers to (H.264's and HEVC's
    /// non-reference pictures, often half of them) for the packets sent from now on, until
    /// set back: for analysis that looks at a few pictures a second anyway. Intra-only
    /// codecs have none to drop.
    public var skipsNonReferencePictures: Bool {
        get { context?.pointee.skip_frame == AVDISCARD_NONREF }
        set { context?.pointee.skip_frame = newValue ? AVDISCARD_NONREF : AVDISCARD_DEFAULT }
    }

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
        let descriptor = avcodec_descriptor_get(parameters.pointee.codec_id)
        isIntraOnly = descriptor.map { $0.pointee.props & AV_CODEC_PROP_INTRA_ONLY != 0 } ?? false
        if isIntraOnly, let alone = avcodec_alloc_context3(codec) {
            standalone = alone
            alone.pointee.thread_count = 1
            alone.pointee.pkt_timebase = timeBase
            if avcodec_parameters_to_context(alone, parameters) < 0 || avcodec_open2(alone, codec, nil) < 0 {
                avcodec_free_context(&standalone)
            }
        }
    }

    deinit {
        avcodec_free_context(&context)
        avcodec_free_context(&standalone)
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

    /// The picture of one packet of an intra-only stream, decoded on its own (not through
    /// the frame-threaded stream, whose state it leaves alone); nil when the codec is not
    /// intra-only or the packet is damaged. Lets a caller keep compressed packets where
    /// it would otherwise hold decoded frames (a 1080p frame is 4 MB, its JPEG 0.2 MB).
    public func decodeAlone(_ packet: Packet) throws(MediaError) -> Frame? {
        guard let standalone else { return nil }
        defer { avcodec_flush_buffers(standalone) }
        let sent = avcodec_send_packet(standalone, packet.pointer)
        if sent < 0 { return nil }
        let picture = av_frame_alloc()
        guard let picture else { throw MediaError(.outOfMemory, "could not allocate a frame", path: path) }
        defer {
            var owned: UnsafeMutablePointer<AVFrame>? = picture
            av_frame_free(&owned)
        }
        guard avcodec_receive_frame(standalone, picture) >= 0 else { return nil }
        return Frame(movingFrom: picture, timeBase: timeBase, startTimestamp: startTimestamp)
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
