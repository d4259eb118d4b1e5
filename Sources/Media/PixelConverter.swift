internal import CFFmpeg

/// Converts decoded frames (any FFmpeg layout) to gray or RGB `Image`s with swscale,
/// and images or frames to an encoder's layout.
///
/// Keeps one scaling context and reuses it while sizes and layouts stay the same,
/// which is what makes per-frame conversion cheap. One converter per task.
public final class PixelConverter {
    private var context: OpaquePointer?
    private var scratchBuffer: ScratchPicture?

    public init() {}

    deinit {
        sws_freeContext(context)
    }

    /// The scratch picture for `rows` rows of `bytesPerRow`, reused while it is big enough.
    private func scratch(rows: Int, bytesPerRow: Int) -> ScratchPicture {
        if let buffer = scratchBuffer, buffer.fits(rows: rows, bytesPerRow: bytesPerRow) { return buffer }
        let buffer = ScratchPicture(rows: rows, bytesPerRow: bytesPerRow)
        scratchBuffer = buffer
        return buffer
    }

    /// The frame as 8-bit gray (luma, full range) or packed RGB.
    ///
    /// swscale writes its output in SIMD-sized blocks and may run up to a block past
    /// the end of a row; into a tight `width * channels` buffer that is a heap overflow
    /// whenever the width is not a multiple of the block (1148 or 718 pixels, as real
    /// scanners export). It therefore writes into a padded scratch buffer with aligned
    /// rows, and the rows are copied out. When a row is already a whole number of blocks
    /// (1920 pixels of RGB, 640 of gray) there is nothing to pad: swscale writes into the
    /// image's own storage, with a spare row for the last block, dropped afterwards; no
    /// second full-size picture is held (6 MB for a 1080p RGB still).
    public func image(from frame: Frame, format: Image.Format) throws(MediaError) -> Image {
        let bytesPerRow = frame.width * format.channels
        // Gray takes luma as it is; RGB interpolates the subsampled chroma.
        let flags = format == .gray8 ? SWS_POINT : SWS_BILINEAR
        if bytesPerRow % ScratchPicture.alignment == 0, frame.width > 0, frame.height > 0 {
            var pixels = [UInt8](repeating: 0, count: bytesPerRow * (frame.height + 1))
            try pixels.withUnsafeMutableBufferPointer { buffer throws(MediaError) in
                try scale(from: Planes(frame.pointer), format: frame.pixelFormat, fullRange: Self.isFullRange(frame),
                          width: frame.width, height: frame.height,
                          to: Planes(single: buffer.baseAddress!, stride: Int32(bytesPerRow)), format: format.pixelFormat,
                          fullRange: true, width: frame.width, height: frame.height, flags: flags)
            }
            pixels.removeLast(bytesPerRow)
            return try Image(width: frame.width, height: frame.height, format: format, pixels: pixels)
        }
        var image = Image(width: frame.width, height: frame.height, format: format)
        let scratch = self.scratch(rows: image.height, bytesPerRow: image.bytesPerRow)
        try scale(from: Planes(frame.pointer), format: frame.pixelFormat, fullRange: Self.isFullRange(frame),
                  width: frame.width, height: frame.height,
                  to: Planes(single: scratch.base, stride: Int32(scratch.stride)), format: format.pixelFormat, fullRange: true,
                  width: frame.width, height: frame.height, flags: flags)
        scratch.copyRows(into: &image.pixels, bytesPerRow: image.bytesPerRow, rows: image.height)
        return image
    }

    /// Fills `frame` (allocated in an encoder's layout and size) from `image`.
    func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: Image) throws(MediaError) {
        let target = AVPixelFormat(frame.pointee.format)
        // swscale reads its input in blocks too: an aligned, padded copy keeps the
        // reads of the last row inside memory this converter owns.
        let scratch = self.scratch(rows: image.height, bytesPerRow: image.bytesPerRow)
        scratch.copyRows(from: image.pixels, bytesPerRow: image.bytesPerRow, rows: image.height)
        try scale(from: Planes(single: scratch.base, stride: Int32(scratch.stride)), format: image.format.pixelFormat,
                  fullRange: true, width: image.width, height: image.height,
                  to: Planes(frame), format: target, fullRange: Self.isFullRange(target),
                  width: Int(frame.pointee.width), height: Int(frame.pointee.height), flags: SWS_BICUBIC)
    }

    /// Fills `frame` (allocated in an encoder's layout and size) from a decoded frame.
    func fill(_ frame: UnsafeMutablePointer<AVFrame>, from decoded: Frame, flags: Int32 = SWS_BICUBIC) throws(MediaError) {
        let target = AVPixelFormat(frame.pointee.format)
        try scale(from: Planes(decoded.pointer), format: decoded.pixelFormat, fullRange: Self.isFullRange(decoded),
                  width: decoded.width, height: decoded.height,
                  to: Planes(frame), format: target, fullRange: Self.isFullRange(target),
                  width: Int(frame.pointee.width), height: Int(frame.pointee.height), flags: flags)
    }

    // MARK: - swscale

    /// Up to four plane pointers and their strides, as sws_scale takes them.
    struct Planes {
        var data: [UnsafeMutablePointer<UInt8>?]
        var strides: [Int32]

        init(single base: UnsafeMutablePointer<UInt8>, stride: Int32) {
            data = [base, nil, nil, nil]
            strides = [stride, 0, 0, 0]
        }

        init(_ frame: UnsafeMutablePointer<AVFrame>) {
            let d = frame.pointee.data, l = frame.pointee.linesize
            data = [d.0, d.1, d.2, d.3]
            strides = [l.0, l.1, l.2, l.3]
        }
    }

    private func scale(from source: Planes, format sourceFormat: AVPixelFormat, fullRange sourceFullRange: Bool,
                       width sourceWidth: Int, height sourceHeight: Int,
                       to destination: Planes, format destinationFormat: AVPixelFormat, fullRange destinationFullRange: Bool,
                       width destinationWidth: Int, height destinationHeight: Int, flags: Int32) throws(MediaError) {
        context = sws_getCachedContext(context, Int32(sourceWidth), Int32(sourceHeight), sourceFormat,
                                       Int32(destinationWidth), Int32(destinationHeight), destinationFormat,
                                       flags, nil, nil, nil)
        guard let context else {
            throw MediaError(.unsupported, "cannot convert \(Self.name(sourceFormat)) to \(Self.name(destinationFormat))")
        }
        // Decoders of MJPEG output "J" (full-range) layouts; saying so makes swscale map
        // 0-255 to 0-255 instead of stretching as if it were 16-235.
        setColorRange(context, sourceFullRange: sourceFullRange, destinationFullRange: destinationFullRange)
        let sourceData = source.data.map { UnsafePointer($0) }
        let rows = sws_scale(context, sourceData, source.strides, 0, Int32(sourceHeight),
                             destination.data, destination.strides)
        guard rows > 0 else {
            throw MediaError(.ffmpeg, "pixel conversion from \(Self.name(sourceFormat)) to \(Self.name(destinationFormat)) failed",
                             code: rows)
        }
    }

    private func setColorRange(_ context: OpaquePointer, sourceFullRange: Bool, destinationFullRange: Bool) {
        var inverseTable: UnsafeMutablePointer<Int32>?
        var table: UnsafeMutablePointer<Int32>?
        var sourceRange: Int32 = 0, destinationRange: Int32 = 0
        var brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
        guard sws_getColorspaceDetails(context, &inverseTable, &sourceRange, &table, &destinationRange,
                                       &brightness, &contrast, &saturation) >= 0 else { return }
        let wantedSource: Int32 = sourceFullRange ? 1 : 0
        let wantedDestination: Int32 = destinationFullRange ? 1 : 0
        if sourceRange != wantedSource || destinationRange != wantedDestination {
            sws_setColorspaceDetails(context, inverseTable, wantedSource, table, wantedDestination,
                                     brightness, contrast, saturation)
        }
    }

    private static func name(_ format: AVPixelFormat) -> String {
        av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "unknown"
    }

    static func isFullRange(_ frame: Frame) -> Bool {
        frame.pointer.pointee.color_range == AVCOL_RANGE_JPEG || isFullRange(frame.pixelFormat)
    }

    static func isFullRange(_ format: AVPixelFormat) -> Bool {
        switch format {
        case AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P,
             AV_PIX_FMT_GRAY8, AV_PIX_FMT_RGB24, AV_PIX_FMT_BGR24, AV_PIX_FMT_RGBA, AV_PIX_FMT_BGRA, AV_PIX_FMT_BGR0:
            true
        default:
            false
        }
    }
}

extension Image.Format {
    var pixelFormat: AVPixelFormat {
        switch self {
        case .gray8: AV_PIX_FMT_GRAY8
        case .rgb24: AV_PIX_FMT_RGB24
        }
    }
}
