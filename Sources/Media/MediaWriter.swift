internal import CFFmpeg
import Foundation

/// Writes one video stream into a container file: either pictures it encodes itself,
/// or packets copied from a source unchanged (remux).
///
/// Container options go straight to the muxer, e.g. fragmented MP4 for recordings
/// that must survive a crash: `["movflags": "frag_keyframe+empty_moov+default_base_moof"]`.
/// Call `finish()` to write the trailer; `discard()` closes and deletes the file.
public final class MediaWriter {
    public let path: String
    /// Pictures or packets accepted so far.
    public private(set) var packetsWritten = 0

    private var formatContext: UnsafeMutablePointer<AVFormatContext>?
    private let stream: UnsafeMutablePointer<AVStream>
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var encoderFrame: UnsafeMutablePointer<AVFrame>?
    private var outputPacket: UnsafeMutablePointer<AVPacket>?
    private let converter = PixelConverter()
    private var mjpegQuality: Int32 = 0
    private var nextFrameIndex: Int64 = 0
    /// Set when the caller times pictures (`EncoderSettings.clockRate`).
    private var clockRate: Int?
    // Stream copy: the source's clock, and a fallback clock for packets without timestamps.
    private var sourceFrameDuration: Int64 = 0
    private var lastCopiedTimestamp: Int64?
    private var state = State.open

    private enum State { case open, finished, discarded }

    /// Encodes pictures written with `write(_:)`.
    ///
    /// - Parameters:
    ///   - format: FFmpeg muxer name (`mp4`, `matroska`, `mpegts`, ...); nil guesses from the extension.
    ///   - options: muxer options such as `movflags`.
    public init(path: String, format: String? = nil, encoding settings: EncoderSettings,
                options: [String: String] = [:]) throws(MediaError) {
        FFmpegRuntime.ensureInitialized()
        try settings.validate()
        self.path = path
        let (context, newStream) = try Self.openContainer(path: path, format: format)
        formatContext = context
        stream = newStream
        do throws(MediaError) {
            clockRate = settings.clockRate
            try openEncoder(settings, context: context)
            try writeHeader(options)
        } catch {
            closeAndDelete()
            throw error
        }
    }

    /// Copies the packets of `source` (passed to `write(_ packet:)`) without re-encoding.
    public init(path: String, format: String? = nil, copying source: MediaSource,
                options: [String: String] = [:]) throws(MediaError) {
        FFmpegRuntime.ensureInitialized()
        self.path = path
        let (context, newStream) = try Self.openContainer(path: path, format: format)
        formatContext = context
        stream = newStream
        do throws(MediaError) {
            try FFmpegRuntime.check(avcodec_parameters_copy(newStream.pointee.codecpar, source.codecParameters),
                                    doing: "copy the stream parameters", path: path)
            // Let the muxer pick its own tag for the codec (Matroska and MP4 differ).
            newStream.pointee.codecpar.pointee.codec_tag = 0
            newStream.pointee.time_base = source.timeBase
            let rate = source.frameRateRational
            newStream.pointee.avg_frame_rate = rate
            if rate.num > 0 {
                sourceFrameDuration = av_rescale_q(1, AVRational(num: rate.den, den: rate.num), source.timeBase)
            }
            try writeHeader(options)
        } catch {
            closeAndDelete()
            throw error
        }
    }

    deinit {
        if state == .open { close() }
        var frame = encoderFrame
        av_frame_free(&frame)
        var packet = outputPacket
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
    }

    // MARK: - Writing

    /// Encodes the next picture; pictures are timed one frame apart at the set rate.
    public func write(_ image: Image) throws(MediaError) {
        let frame = try prepareFrame()
        guard image.width == Int(frame.pointee.width), image.height == Int(frame.pointee.height) else {
            throw MediaError(.invalidArgument,
                             "picture is \(image.width)x\(image.height) but the stream is \(frame.pointee.width)x\(frame.pointee.height)",
                             path: path)
        }
        try converter.fill(frame, from: image)
        try send(frame)
    }

    /// Encodes a decoded frame (for example raw YUYV from a capture card) as the next picture.
    public func write(_ decoded: Frame) throws(MediaError) {
        let frame = try prepareFrame()
        try converter.fill(frame, from: decoded)
        try send(frame)
    }

    /// Encodes a decoded frame shown at `seconds` on the caller's clock (a writer made with
    /// `EncoderSettings.clockRate`): variable rates stay variable. A time at or before the
    /// previous picture's is moved one tick after it.
    public func write(_ decoded: Frame, at seconds: Double) throws(MediaError) {
        guard let rate = clockRate else {
            throw MediaError(.invalidArgument, "this writer times pictures one frame apart: make it with a clock rate to time them", path: path)
        }
        let frame = try prepareFrame()
        try converter.fill(frame, from: decoded)
        let ticks = (seconds * Double(rate)).rounded()
        let wanted = ticks.isFinite ? Int64(min(max(ticks, 0), 9e15)) : 0
        frame.pointee.pts = max(wanted, nextFrameIndex)
        nextFrameIndex = frame.pointee.pts + 1
        if mjpegQuality > 0 { frame.pointee.quality = mjpegQuality }
        try drainEncoder(sending: frame)
    }

    /// Copies a packet read from the source given at init.
    public func write(_ packet: Packet) throws(MediaError) {
        guard state == .open, encoder == nil, let context = formatContext else {
            throw MediaError(.invalidArgument, "this writer encodes pictures; packets need a writer made with copying:", path: path)
        }
        guard let copy = packet.makeReference() else {
            throw MediaError(.outOfMemory, "could not reference a packet", path: path)
        }
        var owned: UnsafeMutablePointer<AVPacket>? = copy
        defer { av_packet_free(&owned) }
        // The recording starts at the stream's time 0, as the decoder's frame times do, so a
        // still's time is the recording's time; each packet carries its own time base (a
        // source re-opened after a loss of signal may have another).
        let start = packet.startTimestamp
        if copy.pointee.pts != nl_nopts_value() { copy.pointee.pts -= start }
        if copy.pointee.dts != nl_nopts_value() { copy.pointee.dts -= start }
        // Pipes (raw MJPEG) may carry no timestamps: continue the clock one frame on.
        if copy.pointee.pts == nl_nopts_value() && copy.pointee.dts == nl_nopts_value() {
            let next = lastCopiedTimestamp.map { $0 + max(sourceFrameDuration, 1) } ?? 0
            copy.pointee.pts = next
            copy.pointee.dts = next
        }
        lastCopiedTimestamp = copy.pointee.dts != nl_nopts_value() ? copy.pointee.dts : copy.pointee.pts
        copy.pointee.stream_index = stream.pointee.index
        av_packet_rescale_ts(copy, packet.timeBase, stream.pointee.time_base)
        copy.pointee.pos = -1
        try interleave(copy, context: context)
    }

    /// Flushes the encoder and writes the container's trailer (the MP4 index).
    public func finish() throws(MediaError) {
        guard state == .open, let context = formatContext else { return }
        if encoder != nil {
            try drainEncoder(sending: nil)
        }
        let trailer = av_write_trailer(context)
        close()
        state = .finished
        if trailer < 0 {
            throw FFmpegRuntime.error(trailer, doing: "finish the file", path: path)
        }
    }

    /// Closes and deletes the file: for a write that must not leave half a file behind.
    public func discard() {
        guard state == .open else { return }
        closeAndDelete()
    }

    /// Bytes in the file so far (as the muxer has written them).
    public var bytesWritten: Int64 {
        guard let io = formatContext?.pointee.pb else { return 0 }
        return avio_tell(io)
    }

    // MARK: - Encoder

    private func openEncoder(_ settings: EncoderSettings, context: UnsafeMutablePointer<AVFormatContext>) throws(MediaError) {
        guard let codec = avcodec_find_encoder_by_name(settings.codecName) else {
            throw MediaError(.unsupported, "this FFmpeg has no \(settings.codecName) encoder", path: path)
        }
        guard let encoder = avcodec_alloc_context3(codec), let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            throw MediaError(.outOfMemory, "could not allocate the encoder", path: path)
        }
        self.encoder = encoder
        encoderFrame = frame
        outputPacket = packet
        encoder.pointee.width = Int32(settings.width)
        encoder.pointee.height = Int32(settings.height)
        encoder.pointee.time_base = settings.clockRate.map { AVRational(num: 1, den: Int32($0)) }
            ?? AVRational(num: Int32(settings.frameRateDenominator), den: Int32(settings.frameRateNumerator))
        encoder.pointee.framerate = AVRational(num: Int32(settings.frameRateNumerator), den: Int32(settings.frameRateDenominator))
        encoder.pointee.thread_count = Int32(settings.threads)
        if let interval = settings.keyframeInterval { encoder.pointee.gop_size = Int32(interval) }
        if context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            encoder.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        var options = AVDictionaryBox([:])
        defer { options.free() }
        switch settings.codec {
        case .h264(let crf, let preset):
            encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            av_dict_set(&options.pointer, "crf", String(crf), 0)
            av_dict_set(&options.pointer, "preset", preset, 0)
        case .h264High(let level, let crf):
            encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            encoder.pointee.max_b_frames = 2
            // BT.601 limited range, which DICOM's YBR_PARTIAL_420 names.
            encoder.pointee.colorspace = AVCOL_SPC_SMPTE170M
            encoder.pointee.color_primaries = AVCOL_PRI_SMPTE170M
            encoder.pointee.color_trc = AVCOL_TRC_SMPTE170M
            encoder.pointee.color_range = AVCOL_RANGE_MPEG
            av_dict_set(&options.pointer, "crf", String(crf), 0)
            av_dict_set(&options.pointer, "preset", "medium", 0)
            av_dict_set(&options.pointer, "profile", "high", 0)
            av_dict_set(&options.pointer, "level", level, 0)
            // libx264 only warns past a level's rate: the buffer is capped to High 4.1/4.2's.
            av_dict_set(&options.pointer, "x264-params", "vbv-maxrate=50000:vbv-bufsize=62500", 0)
        case .mjpeg(let quality):
            encoder.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
            encoder.pointee.color_range = AVCOL_RANGE_JPEG
            encoder.pointee.flags |= AV_CODEC_FLAG_QSCALE
            mjpegQuality = Int32(quality) * FF_QP2LAMBDA
            encoder.pointee.global_quality = mjpegQuality
        case .ffv1:
            encoder.pointee.pix_fmt = AV_PIX_FMT_BGR0
            av_dict_set(&options.pointer, "level", "3", 0)
        case .vp8(let bitrate):
            // Made while someone waits to watch: libvpx's fastest settings.
            encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            encoder.pointee.bit_rate = Int64(bitrate)
            av_dict_set(&options.pointer, "deadline", "realtime", 0)
            av_dict_set(&options.pointer, "cpu-used", "8", 0)
        }
        try FFmpegRuntime.check(avcodec_open2(encoder, codec, &options.pointer), doing: "open the \(settings.codecName) encoder", path: path)
        try FFmpegRuntime.check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder),
                                doing: "describe the encoded stream", path: path)
        stream.pointee.time_base = encoder.pointee.time_base
        stream.pointee.avg_frame_rate = encoder.pointee.framerate
        frame.pointee.format = encoder.pointee.pix_fmt.rawValue
        frame.pointee.width = encoder.pointee.width
        frame.pointee.height = encoder.pointee.height
        try FFmpegRuntime.check(av_frame_get_buffer(frame, 0), doing: "allocate a picture buffer", path: path)
    }

    private func prepareFrame() throws(MediaError) -> UnsafeMutablePointer<AVFrame> {
        guard state == .open, let frame = encoderFrame else {
            throw MediaError(.invalidArgument, "this writer copies packets, or is finished; it cannot take pictures", path: path)
        }
        // The encoder may still hold a reference to the last picture's buffer.
        try FFmpegRuntime.check(av_frame_make_writable(frame), doing: "reuse the picture buffer", path: path)
        return frame
    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) {
        frame.pointee.pts = nextFrameIndex
        nextFrameIndex += 1
        if mjpegQuality > 0 { frame.pointee.quality = mjpegQuality }
        try drainEncoder(sending: frame)
    }

    private func drainEncoder(sending frame: UnsafeMutablePointer<AVFrame>?) throws(MediaError) {
        guard let encoder, let packet = outputPacket, let context = formatContext else { return }
        let sent = avcodec_send_frame(encoder, frame)
        if sent < 0 && !(frame == nil && sent == nl_averror_eof()) {
            throw FFmpegRuntime.error(sent, doing: "encode a picture", path: path)
        }
        while true {
            let received = avcodec_receive_packet(encoder, packet)
            if received == nl_averror_eagain() || received == nl_averror_eof() { return }
            try FFmpegRuntime.check(received, doing: "encode a picture", path: path)
            packet.pointee.stream_index = stream.pointee.index
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            try interleave(packet, context: context)
        }
    }

    // MARK: - Container

    private func interleave(_ packet: UnsafeMutablePointer<AVPacket>, context: UnsafeMutablePointer<AVFormatContext>) throws(MediaError) {
        FFmpegRuntime.clearLoggedError()
        let written = av_interleaved_write_frame(context, packet)
        if written < 0 {
            throw FFmpegRuntime.error(written, doing: "write to the file", path: path)
        }
        packetsWritten += 1
    }

    private func writeHeader(_ options: [String: String]) throws(MediaError) {
        guard let context = formatContext else { return }
        var dictionary = AVDictionaryBox(options)
        defer { dictionary.free() }
        FFmpegRuntime.clearLoggedError()
        try FFmpegRuntime.check(avformat_write_header(context, &dictionary.pointer), doing: "write the file header", path: path)
        if let unused = Self.keys(of: dictionary.pointer), !unused.isEmpty {
            throw MediaError(.invalidArgument, "the \(String(cString: context.pointee.oformat.pointee.name)) muxer has no option \(unused.joined(separator: ", "))", path: path)
        }
    }

    /// The output context with its file open and one (video) stream added.
    private static func openContainer(path: String, format: String?) throws(MediaError)
        -> (UnsafeMutablePointer<AVFormatContext>, UnsafeMutablePointer<AVStream>) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&context, nil, format, path)
        guard allocated >= 0, let context else {
            if let format {
                throw MediaError(.invalidArgument, "unknown container format \"\(format)\": use mp4, matroska, mpegts or mov", path: path)
            }
            throw MediaError(.invalidArgument, "cannot tell the container from the file name: end it in .mp4, .mkv or .ts, or name the format", path: path)
        }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let opened = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
            if opened < 0 {
                avformat_free_context(context)
                throw FFmpegRuntime.error(opened, doing: "create the file", path: path)
            }
            // Recordings and excerpts are clinical data: owner-only, whatever the umask.
            chmod(path, 0o600)
        }
        guard let stream = avformat_new_stream(context, nil) else {
            abandon(context, path: path)
            throw MediaError(.outOfMemory, "could not add a video stream", path: path)
        }
        return (context, stream)
    }

    private static func keys(of dictionary: OpaquePointer?) -> [String]? {
        guard dictionary != nil else { return nil }
        var keys: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
            keys.append(String(cString: next.pointee.key))
            entry = next
        }
        return keys
    }

    private func close() {
        guard let context = formatContext else { return }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            avio_closep(&context.pointee.pb)
        }
        avformat_free_context(context)
        formatContext = nil
    }

    private func closeAndDelete() {
        close()
        state = .discarded
        unlink(path)
    }

    private static func abandon(_ context: UnsafeMutablePointer<AVFormatContext>, path: String) {
        avio_closep(&context.pointee.pb)
        avformat_free_context(context)
        unlink(path)
    }
}
