internal import CFFmpeg
import Foundation

/// Encodes single pictures as JPEG with FFmpeg's MJPEG encoder, in memory: the live
/// preview's frames for a `multipart/x-mixed-replace` stream, about 10x smaller than PNG
/// and quicker to make.
///
/// One encoder serves one picture size; a frame of another size is scaled to it.
///
/// `@unchecked Sendable`: the codec context is not thread-safe, so an encoder is used by
/// one thread at a time; its owner (the live capture's preview) holds it inside a `Mutex`.
public final class JPEGEncoder: @unchecked Sendable {
    public let width: Int
    public let height: Int
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private let converter = PixelConverter()
    private let quality: Int32
    private var nextTimestamp: Int64 = 0
    // The encoder is not reentrant; callers from several tasks take turns.
    private let lock = NSLock()

    /// - Parameter quality: 2 (best) to 31, as FFmpeg's `-q:v`.
    public init(width: Int, height: Int, quality: Int = 6) throws(MediaError) {
        FFmpegRuntime.ensureInitialized()
        guard (1...MediaSource.maximumDimension).contains(width), (1...MediaSource.maximumDimension).contains(height) else {
            throw MediaError(.invalidArgument, "cannot make a \(width)x\(height) JPEG: sides must be 1-\(MediaSource.maximumDimension)")
        }
        guard (2...31).contains(quality) else {
            throw MediaError(.invalidArgument, "JPEG quality \(quality) is out of range: use 2-31 (lower is better)")
        }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG), let context = avcodec_alloc_context3(codec) else {
            throw MediaError(.unsupported, "this FFmpeg has no MJPEG encoder")
        }
        guard let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&owned)
            throw MediaError(.outOfMemory, "could not allocate the JPEG encoder")
        }
        self.width = width
        self.height = height
        self.context = context
        self.frame = frame
        self.packet = packet
        self.quality = Int32(quality) * FF_QP2LAMBDA
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.time_base = AVRational(num: 1, den: 30)
        context.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        context.pointee.color_range = AVCOL_RANGE_JPEG
        context.pointee.flags |= AV_CODEC_FLAG_QSCALE
        context.pointee.global_quality = self.quality
        frame.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        // The standard Huffman tables: FFmpeg's default ("optimal") keeps every coefficient
        // of a picture to build tables for it, 5.5 MB at 1280x720 and 12 MB at 1080p, for a
        // JPEG a few per cent smaller.
        var options: OpaquePointer?
        av_dict_set(&options, "huffman", "default", 0)
        defer { av_dict_free(&options) }
        do throws(MediaError) {
            try FFmpegRuntime.check(avcodec_open2(context, codec, &options), doing: "open the JPEG encoder", path: nil)
        } catch {
            release()
            throw error
        }
    }

    deinit { release() }

    /// A decoded frame (as the capture engine holds it) as JPEG bytes.
    ///
    /// A frame already in the encoder's size and layout (``PixelConverter/previewFrame(_:width:height:)``
    /// makes them) is encoded as it is: no conversion, and no picture buffer of the encoder's own.
    public func encode(_ decoded: Frame) throws(MediaError) -> Data {
        lock.lock()
        defer { lock.unlock() }
        if decoded.width == width, decoded.height == height, decoded.pixelFormat == AV_PIX_FMT_YUVJ420P {
            guard let reference = av_frame_alloc() else { throw MediaError(.outOfMemory, "could not allocate a frame") }
            var owned: UnsafeMutablePointer<AVFrame>? = reference
            defer { av_frame_free(&owned) }
            try FFmpegRuntime.check(av_frame_ref(reference, decoded.pointer), doing: "refer to the picture", path: nil)
            return try encodeFilled(reference)
        }
        try preparePictureBuffer()
        try converter.fill(frame, from: decoded)
        return try encodeFilled(frame)
    }

    /// An image in memory as JPEG bytes.
    public func encode(_ image: Image) throws(MediaError) -> Data {
        lock.lock()
        defer { lock.unlock() }
        try preparePictureBuffer()
        try converter.fill(frame, from: image)
        return try encodeFilled(frame)
    }

    /// The encoder's own picture, allocated on first use (pictures handed over in the
    /// encoder's size and layout never need it) and made writable again after an encode.
    private func preparePictureBuffer() throws(MediaError) {
        if frame.pointee.buf.0 == nil {
            try FFmpegRuntime.check(av_frame_get_buffer(frame, 0), doing: "allocate a picture buffer", path: nil)
        }
        try FFmpegRuntime.check(av_frame_make_writable(frame), doing: "reuse the picture buffer", path: nil)
    }

    private func encodeFilled(_ frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) -> Data {
        frame.pointee.pts = nextTimestamp
        frame.pointee.quality = quality
        nextTimestamp += 1
        try FFmpegRuntime.check(avcodec_send_frame(context, frame), doing: "encode a JPEG", path: nil)
        // MJPEG is intra-only: each picture comes straight back as one packet.
        try FFmpegRuntime.check(avcodec_receive_packet(context, packet), doing: "encode a JPEG", path: nil)
        defer { av_packet_unref(packet) }
        return Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
    }

    private func release() {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
        var ownedFrame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&ownedFrame)
        var ownedPacket: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&ownedPacket)
    }
}
