internal import CFFmpeg

/// A decoded picture, still in the decoder's own pixel layout (often YUV).
///
/// Owns a reference-counted FFmpeg frame. Converting to an `Image` (gray or RGB)
/// is a separate step, so a pipeline that only needs some frames pays for those.
///
/// `@unchecked Sendable`: after the decoder hands it over the picture is never written
/// again (every method reads), so frames may be read from several threads at once; the
/// buffers are freed once, by the last reference's deinit.
public final class Frame: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>
    let timeBase: AVRational
    let startTimestamp: Int64

    /// Takes over the picture `source` refers to, leaving `source` empty.
    init(movingFrom source: UnsafeMutablePointer<AVFrame>, timeBase: AVRational, startTimestamp: Int64) {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc failed: out of memory") }
        av_frame_move_ref(frame, source)
        pointer = frame
        self.timeBase = timeBase
        self.startTimestamp = startTimestamp
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }

    /// Presentation time in seconds from the start of the stream, when known.
    public var time: Double? {
        let timestamp = pointer.pointee.best_effort_timestamp != nl_nopts_value()
            ? pointer.pointee.best_effort_timestamp : pointer.pointee.pts
        return timestamp == nl_nopts_value() ? nil : Double(timestamp - startTimestamp) * timeBase.doubleValue
    }

    /// FFmpeg's name of the pixel layout, e.g. `yuv420p`.
    public var pixelFormatName: String {
        av_get_pix_fmt_name(AVPixelFormat(pointer.pointee.format)).map { String(cString: $0) } ?? "unknown"
    }

    /// True when the decoder reported this frame damaged (it may show artefacts).
    public var isCorrupt: Bool { pointer.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 }

    var pixelFormat: AVPixelFormat { AVPixelFormat(pointer.pointee.format) }

    /// Whether the picture carries colour. For planar YUV the chroma planes are
    /// checked against neutral (128) within `tolerance`, which absorbs codec noise
    /// on a gray screen; for packed RGB the channels are compared.
    public func carriesColor(tolerance: Int = 6) -> Bool {
        guard let descriptor = av_pix_fmt_desc_get(pixelFormat) else { return true }
        let d = descriptor.pointee
        if d.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0 {
            guard let rgb = try? PixelConverter().image(from: self, format: .rgb24) else { return true }
            return !rgb.isNeutral
        }
        if d.nb_components < 3 { return false }
        guard d.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 else {
            // Packed YUV (yuyv422): chroma bytes at odd offsets.
            guard pixelFormat == AV_PIX_FMT_YUYV422, let row0 = pointer.pointee.data.0 else { return true }
            let stride = Int(pointer.pointee.linesize.0)
            for y in 0..<height {
                let row = row0 + y * stride
                var x = 1
                while x < width * 2 {
                    if abs(Int(row[x]) - 128) > tolerance { return true }
                    x += 2
                }
            }
            return false
        }
        let chromaWidth = (width + (1 << Int(d.log2_chroma_w)) - 1) >> Int(d.log2_chroma_w)
        let chromaHeight = (height + (1 << Int(d.log2_chroma_h)) - 1) >> Int(d.log2_chroma_h)
        let chromaPlanes = [(pointer.pointee.data.1, pointer.pointee.linesize.1),
                            (pointer.pointee.data.2, pointer.pointee.linesize.2)]
        for (plane, linesize) in chromaPlanes {
            guard let base = plane else { continue }
            let stride = Int(linesize)
            for y in 0..<chromaHeight {
                let row = base + y * stride
                for x in 0..<chromaWidth where abs(Int(row[x]) - 128) > tolerance {
                    return true
                }
            }
        }
        return false
    }
}
