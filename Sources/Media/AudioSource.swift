internal import CFFmpeg
import Foundation

/// Reads sound as speech recognition takes it: mono, signed 16-bit, 16 kHz, whatever the
/// file, pipe or microphone gives (libavformat, libavcodec and libswresample).
///
/// A microphone never ends; ``read()`` blocks for its next samples until ``interrupt()``.
public final class AudioSource {
    /// Samples per second of what ``read()`` returns.
    public static let sampleRate = 16_000

    public let input: AudioInput
    private var formatContext: UnsafeMutablePointer<AVFormatContext>?
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var resampler: OpaquePointer?
    /// The format, rate and channel count the resampler was made for.
    private var resampledFrom: (format: Int32, rate: Int32, channels: Int32) = (0, 0, 0)
    private let streamIndex: Int32
    private let interruptFlag: InterruptFlag
    private var finished = false

    /// - Throws: ``MediaError``: `.notFound`, `.isDirectory`, `.emptyFile`,
    ///   `.permissionDenied`, `.notMedia` (no sound FFmpeg can read), `.deviceNotFound`,
    ///   `.unsupported` (no libavdevice, or no decoder), `.invalidArgument`.
    public init(_ input: AudioInput, interrupt: SourceInterrupt = SourceInterrupt()) throws(MediaError) {
        FFmpegRuntime.ensureInitialized()
        self.input = input
        interruptFlag = interrupt.flag
        let path = input.path
        var format: UnsafePointer<AVInputFormat>?
        let url: String
        switch input {
        case .file(let file):
            try MediaSource.checkReadableFile(file, media: "audio")
            url = "file:" + file
        case .device(let driver, let name):
            try FFmpegRuntime.ensureDevices(path: path)
            guard let named = av_find_input_format(driver) else {
                throw MediaError(.unsupported, "this FFmpeg has no \(driver) input: use one of \(AudioInput.drivers.filter { av_find_input_format($0) != nil }.joined(separator: ", "))", path: path)
            }
            format = named
            url = name
        case .pipe(let pipe, let formatName):
            guard let named = av_find_input_format(formatName) else {
                throw MediaError(.invalidArgument, "unknown audio stream format \"\(formatName)\": name an FFmpeg demuxer such as wav or s16le", path: path)
            }
            format = named
            url = pipe == "-" ? "pipe:0" : pipe.hasPrefix("pipe:") ? pipe : "file:" + pipe
        }
        guard let frame = av_frame_alloc(), let packet = av_packet_alloc() else {
            throw MediaError(.outOfMemory, "could not allocate audio buffers", path: path)
        }
        self.frame = frame
        self.packet = packet
        var context: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard let allocated = context else {
            var frame: UnsafeMutablePointer<AVFrame>? = frame, packet: UnsafeMutablePointer<AVPacket>? = packet
            av_frame_free(&frame)
            av_packet_free(&packet)
            throw MediaError(.outOfMemory, "could not allocate a demuxer", path: path)
        }
        nl_set_interrupt_flag(allocated, interruptFlag.pointer)
        FFmpegRuntime.clearLoggedError()
        let opened = avformat_open_input(&context, url, format, nil)
        var index: Int32 = -1
        do throws(MediaError) {
            if opened < 0 {
                if case .device = input {
                    throw MediaError(.deviceNotFound, "could not open the microphone: check the device name (arecord -L lists them) and that no other program holds it",
                                     path: path, code: opened, detail: FFmpegRuntime.describe(opened))
                }
                throw FFmpegRuntime.error(opened, doing: "open the sound", path: path, kind: .notMedia)
            }
            guard let context else { throw MediaError(.ffmpeg, "could not open the sound", path: path) }
            formatContext = context
            let found = avformat_find_stream_info(context, nil)
            if found < 0 { throw FFmpegRuntime.error(found, doing: "read the sound's stream information", path: path, kind: .notMedia) }
            index = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
            guard index >= 0, let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
                throw MediaError(.notMedia, "has no sound in it: give a WAV (or any audio) file, or a microphone such as alsa:default", path: path, code: index)
            }
            guard let codec = avcodec_find_decoder(parameters.pointee.codec_id), let decoder = avcodec_alloc_context3(codec) else {
                throw MediaError(.unsupported, "has sound this FFmpeg cannot decode", path: path)
            }
            self.decoder = decoder
            try FFmpegRuntime.check(avcodec_parameters_to_context(decoder, parameters), doing: "configure the audio decoder", path: path)
            decoder.pointee.pkt_timebase = stream.pointee.time_base
            try FFmpegRuntime.check(avcodec_open2(decoder, codec, nil), doing: "open the audio decoder", path: path)
            for i in 0..<Int(context.pointee.nb_streams) where i != Int(index) {
                context.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
            }
        } catch {
            avcodec_free_context(&decoder)
            avformat_close_input(&formatContext)
            var frame: UnsafeMutablePointer<AVFrame>? = frame, packet: UnsafeMutablePointer<AVPacket>? = packet
            av_frame_free(&frame)
            av_packet_free(&packet)
            throw error
        }
        streamIndex = index
    }

    deinit {
        var resampler = resampler
        swr_free(&resampler)
        avcodec_free_context(&decoder)
        avformat_close_input(&formatContext)
        var frame: UnsafeMutablePointer<AVFrame>? = frame, packet: UnsafeMutablePointer<AVPacket>? = packet
        av_frame_free(&frame)
        av_packet_free(&packet)
    }

    /// Stops a blocking ``read()`` from another thread; it then returns nil.
    public func interrupt() { interruptFlag.set() }

    /// The next samples (16 kHz mono), in the pieces the source delivers them; nil at the
    /// end of a file or pipe, or once interrupted. Damaged packets are skipped.
    public func read() throws(MediaError) -> [Int16]? {
        guard let formatContext, let decoder, !finished else { return nil }
        while true {
            let samples = try receive(decoder)
            if !samples.isEmpty { return samples }
            if interruptFlag.isSet { finished = true; return nil }
            let status = av_read_frame(formatContext, packet)
            if status < 0 {
                if status == nl_averror(EAGAIN) { continue }
                // The end, or an interrupted read: drain the decoder and the resampler.
                finished = true
                avcodec_send_packet(decoder, nil)
                var tail = try receive(decoder)
                tail += flush()
                return tail.isEmpty ? nil : tail
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            // A damaged packet is skipped: a glitch on the line must not end listening.
            _ = avcodec_send_packet(decoder, packet)
        }
    }

    /// Every frame the decoder has ready, resampled.
    private func receive(_ decoder: UnsafeMutablePointer<AVCodecContext>) throws(MediaError) -> [Int16] {
        var samples: [Int16] = []
        while avcodec_receive_frame(decoder, frame) >= 0 {
            defer { av_frame_unref(frame) }
            samples += try resample(frame)
        }
        return samples
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) -> [Int16] {
        let channels = frame.pointee.ch_layout.nb_channels
        if resampler == nil || nl_swr_matches(frame, resampledFrom.format, resampledFrom.rate, resampledFrom.channels) == 0 {
            // A stream may change rate or channels midway (a device renegotiating): start again.
            var old = resampler
            swr_free(&old)
            guard let made = nl_swr_to_mono_s16(frame, Int32(Self.sampleRate)) else {
                throw MediaError(.unsupported, "has sound FFmpeg cannot convert to 16 kHz mono (\(channels) channels at \(frame.pointee.sample_rate) Hz)", path: input.path)
            }
            resampler = made
            resampledFrom = (frame.pointee.format, frame.pointee.sample_rate, channels)
        }
        let capacity = Int(swr_get_out_samples(resampler, frame.pointee.nb_samples)) + 32
        var out = [Int16](repeating: 0, count: capacity)
        let written = out.withUnsafeMutableBufferPointer { nl_swr_convert_frame(resampler, $0.baseAddress, Int32(capacity), frame) }
        if written < 0 { throw FFmpegRuntime.error(written, doing: "resample the sound", path: input.path) }
        out.removeLast(capacity - Int(written))
        return out
    }

    /// What the resampler still holds at the end.
    private func flush() -> [Int16] {
        guard let resampler else { return [] }
        var out = [Int16](repeating: 0, count: 4096)
        let written = out.withUnsafeMutableBufferPointer { nl_swr_convert_frame(resampler, $0.baseAddress, 4096, nil) }
        return written > 0 ? Array(out.prefix(Int(written))) : []
    }
}
