internal import CFFmpeg

extension PixelConverter {
    /// A small copy of a decoded frame for the live preview: `width` x `height`, full-range
    /// YUV 4:2:0 (what ``JPEGEncoder`` encodes without converting again), with the frame's time.
    ///
    /// Made on the thread that decodes, before it decodes the next: a viewer that held the
    /// decoded frame itself while scaling it would make the decoder's buffer pool grow by a
    /// frame for good (3-4 MB at 1080p); the copy is 0.8 MB at 960x540 and lives as long as
    /// its JPEG takes to make.
    public func previewFrame(_ decoded: Frame, width: Int, height: Int) throws(MediaError) -> Frame {
        guard let picture = av_frame_alloc() else { throw MediaError(.outOfMemory, "could not allocate a preview picture") }
        var owned: UnsafeMutablePointer<AVFrame>? = picture
        defer { av_frame_free(&owned) }
        picture.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        picture.pointee.width = Int32(width)
        picture.pointee.height = Int32(height)
        picture.pointee.color_range = AVCOL_RANGE_JPEG
        try FFmpegRuntime.check(av_frame_get_buffer(picture, 0), doing: "allocate a preview picture", path: nil)
        // Bilinear: reducing 2:1 or 4:1, swscale widens the filter to the reduction, so every
        // source pixel is averaged in, for less work on the decoding thread than bicubic.
        try fill(picture, from: decoded, flags: SWS_BILINEAR)
        let source = decoded.pointer.pointee
        picture.pointee.pts = source.best_effort_timestamp != nl_nopts_value() ? source.best_effort_timestamp : source.pts
        picture.pointee.best_effort_timestamp = picture.pointee.pts
        return Frame(movingFrom: picture, timeBase: decoded.timeBase, startTimestamp: decoded.startTimestamp)
    }
}
