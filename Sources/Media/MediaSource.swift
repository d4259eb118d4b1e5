internal import CFFmpeg
import Foundation

/// An open video input (file, capture device or pipe) read packet by packet.
///
/// Owns the libavformat context; not thread-safe, so one reader task uses it. Packets
/// come out as `Packet` values that may be handed to other tasks (the recorder and
/// the decoder both take them).
public final class MediaSource {
    /// Sides larger than this are refused: no scanner screen is that big, and a file that
    /// claims it is more likely damaged or hostile than a real capture.
    public static let maximumDimension = 8192

    public let input: MediaInput
    public let video: VideoInfo

    var formatContext: UnsafeMutablePointer<AVFormatContext>?
    let streamIndex: Int32
    let timeBase: AVRational
    /// Subtracted from every timestamp so a stream's first frame is at (about) 0 s.
    let startTimestamp: Int64
    /// False for a live stream that carries no time of its own (raw MJPEG, H.264 or HEVC
    /// in Annex B, rawvideo on a pipe): FFmpeg then invents times at a guessed 25 fps,
    /// and a live reader must stamp packets on arrival instead.
    public let hasTimestamps: Bool
    /// When FFmpeg began reading the stream (after a FIFO's writer appeared): the packets
    /// its probe read ahead arrived from then on.
    public private(set) var probeStarted = ContinuousClock.now
    private var endOfStream = false
    /// Set by `interrupt()` from any thread; FFmpeg polls it while blocked in I/O.
    private let interruptFlag: InterruptFlag
    /// A FIFO opened here, closed by the source (the pipe's reader never closes its descriptor).
    private var ownedDescriptor: Int32?
    /// A live pipe's I/O, which logs when each byte arrived (see arrival_io.c).
    private var arrivalIO: UnsafeMutablePointer<AVIOContext>?
    private var arrivalReader: OpaquePointer?

    /// Opens the input and finds its video stream.
    ///
    /// - Throws: `MediaError` naming the path and the problem: `.notFound`,
    ///   `.isDirectory`, `.emptyFile`, `.permissionDenied`, `.notMedia` (not a video
    ///   FFmpeg can read), `.truncated` (for example an MP4 cut off before its index),
    ///   `.noVideoStream`, `.tooLarge`, `.deviceNotFound`, `.notADevice`,
    ///   `.deviceBusy`, `.invalidArgument`.
    ///
    /// - Parameter interrupt: stops the open (a FIFO waiting for its writer) and later
    ///   reads from another thread; `interrupt()` on the source sets it too.
    public init(_ input: MediaInput, interrupt: SourceInterrupt = SourceInterrupt()) throws(MediaError) {
        FFmpegRuntime.ensureInitialized()
        self.input = input
        interruptFlag = interrupt.flag
        let path = input.path
        let url: String
        var format: UnsafePointer<AVInputFormat>?
        var options: [String: String] = [:]
        var pipeDescriptor: Int32?

        switch input {
        case .file(let file):
            try Self.checkReadableFile(file)
            url = "file:" + file
        case .device(let device, let deviceOptions):
            try Self.checkDevice(device)
            try FFmpegRuntime.ensureDevices(path: device)
            options = try deviceOptions.v4l2Options()
            format = av_find_input_format("v4l2")
            url = device
        case .pipe(let pipe, let formatName, let streamOptions):
            options = try streamOptions.demuxerOptions(format: formatName)
            guard let named = av_find_input_format(formatName) else {
                throw MediaError(.invalidArgument,
                                 "unknown stream format \"\(formatName)\": name an FFmpeg demuxer such as mjpeg, h264, matroska, mpegts or rawvideo",
                                 path: path)
            }
            format = named
            // A live stream is probed briefly: FFmpeg's default (5 s, 5 MB) would read a
            // raw elementary stream for seconds before the first packet reaches the
            // recorder. Half a second, or 2 MB (a few 1080p MJPEG frames), is enough.
            options["analyzeduration"] = options["analyzeduration"] ?? "500000"
            options["probesize"] = options["probesize"] ?? "2000000"
            switch try PipeOpener.open(pipe, interrupt: interrupt) {
            case .file(let fileURL):
                url = fileURL
            case .pipe(let descriptor, let owned):
                url = ""
                pipeDescriptor = descriptor
                if owned { ownedDescriptor = descriptor }
            }
        }
        if case .device = input, format == nil {
            throw MediaError(.unsupported, "this FFmpeg was built without the v4l2 input", path: path)
        }

        // Allocated first so the interrupt flag covers the open itself (a FIFO with no writer).
        var context: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard let allocated = context else {
            if let descriptor = ownedDescriptor { close(descriptor) }
            throw MediaError(.outOfMemory, "could not allocate a demuxer", path: path)
        }
        nl_set_interrupt_flag(allocated, interruptFlag.pointer)
        if let descriptor = pipeDescriptor {
            // A live pipe is read here rather than by FFmpeg's pipe protocol, so that each
            // packet's arrival is the time its last byte came (`Packet.arrival`).
            var reader: OpaquePointer?
            guard let io = nl_arrival_io_open(descriptor, interruptFlag.pointer, &reader) else {
                avformat_free_context(allocated)
                if let descriptor = ownedDescriptor { close(descriptor) }
                throw MediaError(.outOfMemory, "could not allocate the pipe's reader", path: path)
            }
            allocated.pointee.pb = io
            allocated.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
            arrivalIO = io
            arrivalReader = reader
        }
        var dictionary = AVDictionaryBox(options)
        FFmpegRuntime.clearLoggedError()
        probeStarted = ContinuousClock.now
        let opened = avformat_open_input(&context, url, format, &dictionary.pointer)
        dictionary.free()
        if opened < 0 {
            // avformat_open_input frees the context it was given on failure, not custom I/O.
            nl_arrival_io_close(&arrivalIO, arrivalReader)
            arrivalReader = nil
            if let descriptor = ownedDescriptor { close(descriptor) }
            throw Self.openError(opened, input: input)
        }
        guard let context else { throw MediaError(.ffmpeg, "could not open input", path: path) }
        // From here on `context` must be closed on every failure path.
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        do throws(MediaError) {
            let found = avformat_find_stream_info(context, nil)
            if found < 0 {
                throw FFmpegRuntime.error(found, doing: "read the stream information", path: path, kind: .corruptData)
            }
            let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
            if index < 0 {
                throw MediaError(.noVideoStream, "has no video stream (audio only, or data only?): give a video file", path: path, code: index)
            }
            guard let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
                throw MediaError(.noVideoStream, "has no usable video stream", path: path)
            }
            let width = Int(parameters.pointee.width), height = Int(parameters.pointee.height)
            if width > Self.maximumDimension || height > Self.maximumDimension {
                throw MediaError(.tooLarge,
                                 "video is \(width)x\(height): at most \(Self.maximumDimension) pixels a side is accepted",
                                 path: path)
            }
            if width <= 0 || height <= 0 {
                throw MediaError(.corruptData, "video stream has no picture size: the file is damaged or not a video", path: path)
            }
            streamIndex = index
            timeBase = stream.pointee.time_base
            hasTimestamps = Self.carriesTimestamps(input: input, format: context.pointee.iformat)
            startTimestamp = stream.pointee.start_time == nl_nopts_value() ? 0 : stream.pointee.start_time
            video = Self.describe(context: context, stream: stream)
            // Only the chosen video stream is demuxed; others are dropped at the source.
            for i in 0..<Int(context.pointee.nb_streams) where i != Int(index) {
                context.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
            }
            formatContext = context
            owned = nil
        } catch {
            avformat_close_input(&owned)
            nl_arrival_io_close(&arrivalIO, arrivalReader)
            arrivalReader = nil
            if let descriptor = ownedDescriptor { close(descriptor) }
            throw error
        }
    }

    deinit {
        avformat_close_input(&formatContext)
        nl_arrival_io_close(&arrivalIO, arrivalReader)
        if let descriptor = ownedDescriptor { close(descriptor) }
    }

    /// Elementary streams and rawvideo have no container clock; FFmpeg marks most of their
    /// demuxers AVFMT_NOTIMESTAMPS. Files keep FFmpeg's times (there is no arrival to go by).
    private static func carriesTimestamps(input: MediaInput, format: UnsafePointer<AVInputFormat>?) -> Bool {
        guard case .pipe = input, let format else { return true }
        let name = String(cString: format.pointee.name)
        let untimed: Set<String> = ["mjpeg", "h264", "hevc", "rawvideo", "mpjpeg", "image2pipe", "jpeg_pipe", "m4v", "h263", "cavsvideo"]
        return format.pointee.flags & AVFMT_NOTIMESTAMPS == 0 && !untimed.contains(name)
    }

    /// Makes a read blocked on a live source (or the next one) return: `nextPacket()`
    /// then reports the end of the stream. Safe to call from another thread or a
    /// signal-handling task; used to stop a capture cleanly.
    public func interrupt() {
        interruptFlag.set()
    }

    /// The next packet of the video stream, or `nil` at the end of the input.
    ///
    /// A live source that has nothing yet (EAGAIN) is waited for briefly and retried.
    /// - Throws: `MediaError` when reading fails (a cut-off or damaged file, a
    ///   device that disappeared).
    public func nextPacket() throws(MediaError) -> Packet? {
        guard !endOfStream, let context = formatContext else { return nil }
        let packet = Packet()
        while true {
            FFmpegRuntime.clearLoggedError()
            let result = av_read_frame(context, packet.pointer)
            if result == nl_averror_eof() || interruptFlag.isSet {
                endOfStream = true
                return nil
            }
            if result == nl_averror_eagain() {
                usleep(1_000)
                continue
            }
            if result < 0 {
                throw FFmpegRuntime.error(result, doing: "read the next packet", path: input.path)
            }
            if packet.pointer.pointee.stream_index != streamIndex {
                av_packet_unref(packet.pointer)
                continue
            }
            packet.timeBase = timeBase
            packet.startTimestamp = startTimestamp
            if let reader = arrivalReader, packet.pointer.pointee.pos >= 0 {
                let age = nl_arrival_age_ns(reader, packet.pointer.pointee.pos + Int64(packet.pointer.pointee.size))
                packet.arrival = age >= 0 ? ContinuousClock.now - .nanoseconds(age) : nil
            }
            return packet
        }
    }

    /// Moves a file source to the keyframe at or before `seconds` (stream time from the
    /// first frame); the next packet read is that keyframe. Make a new decoder after it.
    public func seek(to seconds: Double) throws(MediaError) {
        guard let context = formatContext else { return }
        guard case .file = input else {
            throw MediaError(.invalidArgument, "only a file can seek; a device or pipe is live", path: input.path)
        }
        // Checked before converting: Int64(_:) traps on a value it cannot hold.
        let ticks = (max(0, seconds) * Double(timeBase.den) / Double(timeBase.num)).rounded(.down)
        guard ticks.isFinite, let offset = Int64(exactly: ticks), offset <= Int64.max - max(startTimestamp, 0) else {
            throw MediaError(.invalidArgument, "cannot seek to \(seconds) s: give a time within the recording", path: input.path)
        }
        let target = offset + startTimestamp
        try FFmpegRuntime.check(av_seek_frame(context, streamIndex, target, AVSEEK_FLAG_BACKWARD), doing: "seek to \(seconds) s", path: input.path)
        endOfStream = false
    }

    /// Codec parameters of the video stream, for the decoder and for stream copy.
    var codecParameters: UnsafeMutablePointer<AVCodecParameters> {
        formatContext!.pointee.streams[Int(streamIndex)]!.pointee.codecpar
    }

    /// The stream's nominal frame rate as FFmpeg's rational, for writers that copy it.
    var frameRateRational: AVRational {
        let stream = formatContext!.pointee.streams[Int(streamIndex)]!
        let average = stream.pointee.avg_frame_rate
        return average.num > 0 && average.den > 0 ? average : stream.pointee.r_frame_rate
    }

    // MARK: - Opening

    /// - Parameter media: what the file should hold, for the messages (`video`, `audio`).
    static func checkReadableFile(_ path: String, media: String = "video") throws(MediaError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == EACCES {
                throw MediaError(.permissionDenied, "cannot be read: permission denied", path: path)
            }
            throw MediaError(.notFound, "no such file: check the path", path: path)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw MediaError(.isDirectory, "is a folder, not \(media == "audio" ? "an" : "a") \(media) file: name a file inside it", path: path)
        }
        if (status.st_mode & S_IFMT) == S_IFREG && status.st_size == 0 {
            throw MediaError(.emptyFile, "is empty (0 bytes): the export or copy did not finish", path: path)
        }
        if access(path, R_OK) != 0 {
            throw MediaError(.permissionDenied, "cannot be read: permission denied", path: path)
        }
    }

    private static func checkDevice(_ path: String) throws(MediaError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let present = (try? FileManager.default.contentsOfDirectory(atPath: "/dev"))?
                .filter { $0.hasPrefix("video") }.sorted().map { "/dev/" + $0 } ?? []
            let hint = present.isEmpty ? "no capture device is connected (no /dev/video*)" : "devices present: \(present.joined(separator: ", "))"
            throw MediaError(.deviceNotFound, "no such capture device: \(hint)", path: path, code: nl_averror(ENOENT))
        }
        if (status.st_mode & S_IFMT) != S_IFCHR {
            throw MediaError(.notADevice, "is not a capture device (expected a character device such as /dev/video0); for a file use a file input", path: path)
        }
    }

    private static func openError(_ code: Int32, input: MediaInput) -> MediaError {
        let path = input.path
        let logged = FFmpegRuntime.lastLoggedError()
        let detail = logged.isEmpty ? FFmpegRuntime.describe(code) : "\(FFmpegRuntime.describe(code)): \(logged)"
        switch input {
        case .device:
            switch FFmpegRuntime.kind(for: code) {
            case .deviceBusy:
                return MediaError(.deviceBusy, "capture device is busy: another program (or another NeedleLog) is using it", path: path, code: code, detail: detail)
            case .notFound:
                return MediaError(.deviceNotFound, "no such capture device", path: path, code: code, detail: detail)
            case .permissionDenied:
                return MediaError(.permissionDenied, "capture device cannot be opened: add the user to the video group", path: path, code: code, detail: detail)
            default:
                return MediaError(FFmpegRuntime.kind(for: code), "could not open the capture device with these settings", path: path, code: code, detail: detail)
            }
        case .file, .pipe:
            // FFmpeg falls back to the MP4 demuxer for anything named .mp4, so "moov
            // atom not found" alone does not prove an MP4: its first box must be MP4's.
            if logged.contains("moov atom not found"), case .file(let file) = input, Self.startsLikeMP4(file) {
                return MediaError(.truncated,
                                  "is cut off: the MP4 index (moov atom) is missing, so the recording was never finished; a fragmented recording or the original export is needed",
                                  path: path, code: code, detail: detail)
            }
            if code == nl_averror_invaliddata() {
                return MediaError(.notMedia, "is not a video FFmpeg can read: expected a video file such as .mp4, .mkv, .avi or .mov", path: path, code: code, detail: detail)
            }
            return FFmpegRuntime.error(code, doing: "open the input", path: path)
        }
    }

    /// Whether the file begins with an ISO base media box (ftyp, mdat, moov, free, wide, skip).
    private static func startsLikeMP4(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8), head.count == 8 else { return false }
        let type = String(decoding: head.suffix(4), as: UTF8.self)
        return ["ftyp", "mdat", "moov", "free", "wide", "skip"].contains(type)
    }

    private static func describe(context: UnsafeMutablePointer<AVFormatContext>,
                                 stream: UnsafeMutablePointer<AVStream>) -> VideoInfo {
        let parameters = stream.pointee.codecpar!
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        let pixelFormat = av_get_pix_fmt_name(AVPixelFormat(parameters.pointee.format)).map { String(cString: $0) } ?? "unknown"
        let average = stream.pointee.avg_frame_rate
        let base = stream.pointee.r_frame_rate
        let rate = average.num > 0 && average.den > 0 ? average.doubleValue : base.doubleValue
        var duration: Double?
        if stream.pointee.duration != nl_nopts_value(), stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * stream.pointee.time_base.doubleValue
        } else if context.pointee.duration != nl_nopts_value(), context.pointee.duration > 0 {
            duration = Double(context.pointee.duration) / Double(AV_TIME_BASE)
        }
        let frames = stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil
        let bitRate = parameters.pointee.bit_rate > 0 ? Int(parameters.pointee.bit_rate)
            : (context.pointee.bit_rate > 0 ? Int(context.pointee.bit_rate) : nil)
        return VideoInfo(container: String(cString: context.pointee.iformat.pointee.name),
                         codec: codecName, width: Int(parameters.pointee.width), height: Int(parameters.pointee.height),
                         pixelFormat: pixelFormat, frameRate: rate, duration: duration, frameCount: frames, bitRate: bitRate)
    }
}

/// An AVDictionary built from Swift options, freed explicitly after use.
struct AVDictionaryBox {
    var pointer: OpaquePointer?

    init(_ options: [String: String]) {
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            av_dict_set(&pointer, key, value, 0)
        }
    }

    mutating func free() {
        av_dict_free(&pointer)
    }
}

/// An int FFmpeg's interrupt callback reads, owned here so it outlives the demuxer
/// that polls it (the source frees the demuxer first, in its deinit).
///
/// `@unchecked Sendable`: the pointer never changes; the int behind it is only ever set
/// from 0 to 1 (an aligned 32-bit store, atomic on every platform Swift runs on) and read
/// by the demuxer's polling, which acts on the next poll whichever value it sees.
final class InterruptFlag: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit {
        pointer.deallocate()
    }

    /// A single aligned 32-bit store; the C side reads it through a volatile pointer.
    func set() { pointer.pointee = 1 }

    var isSet: Bool { pointer.pointee != 0 }
}
