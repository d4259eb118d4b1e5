internal import CFFmpeg

/// A frame's brightness averaged over square blocks: a small picture (240x135 for
/// 1080p in 8-pixel blocks) that is cheap to compare frame to frame.
///
/// Computed straight from the decoder's luma plane, with no colour conversion, so
/// analysis of a 1080p60 stream costs about a millisecond a frame.
public struct LumaGrid: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    public let blockSize: Int
    /// Mean luma of each block, row by row, 0-255.
    public var means: [UInt8]

    public init(columns: Int, rows: Int, blockSize: Int, means: [UInt8]) {
        precondition(means.count == columns * rows, "a grid needs one mean per block")
        self.columns = columns
        self.rows = rows
        self.blockSize = blockSize
        self.means = means
    }

    /// The grid of a gray or RGB image (RGB is reduced to luma first).
    ///
    /// RGB is reduced a band of `blockSize` rows at a time (with ``Image/grayscale()``'s
    /// weights), so no full-size gray copy is held beside the image: 8 MB for a 2160p still.
    public init(_ image: Image, blockSize: Int = 8) {
        guard image.format == .rgb24 else {
            self = image.pixels.withUnsafeBufferPointer { pixels in
                LumaGrid.average(base: pixels.baseAddress!, stride: image.width, width: image.width, height: image.height, blockSize: blockSize)
            }
            return
        }
        let width = image.width, columns = width / blockSize, rows = image.height / blockSize
        guard columns > 0, rows > 0 else {
            self = LumaGrid(columns: 0, rows: 0, blockSize: blockSize, means: [])
            return
        }
        var means: [UInt8] = []
        means.reserveCapacity(columns * rows)
        var band = [UInt8](repeating: 0, count: width * blockSize)
        image.pixels.withUnsafeBufferPointer { rgb in
            for row in 0..<rows {
                band.withUnsafeMutableBufferPointer { gray in
                    for y in 0..<blockSize {
                        let source = (row * blockSize + y) * width * 3
                        for x in 0..<width { gray[y * width + x] = Image.luma(rgb, at: source + 3 * x) }
                    }
                }
                means += band.withUnsafeBufferPointer { gray in
                    LumaGrid.average(base: gray.baseAddress!, stride: width, width: width, height: blockSize, blockSize: blockSize).means
                }
            }
        }
        self = LumaGrid(columns: columns, rows: rows, blockSize: blockSize, means: means)
    }

    /// - Parameter limitedRange: the plane holds video-range luma (16-235); means are
    ///   stretched to 0-255 so differences between frames keep their full size.
    static func average(base: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int, blockSize: Int,
                        limitedRange: Bool = false) -> LumaGrid {
        let columns = width / blockSize, rows = height / blockSize
        var means = [UInt8](repeating: 0, count: max(columns * rows, 0))
        guard columns > 0, rows > 0 else { return LumaGrid(columns: 0, rows: 0, blockSize: blockSize, means: []) }
        var sums = [UInt32](repeating: 0, count: columns)
        let area = UInt32(blockSize * blockSize)
        sums.withUnsafeMutableBufferPointer { sums in
            means.withUnsafeMutableBufferPointer { means in
                for row in 0..<rows {
                    for c in 0..<columns { sums[c] = 0 }
                    for y in (row * blockSize)..<((row + 1) * blockSize) {
                        let line = base + y * stride
                        for c in 0..<columns {
                            var sum: UInt32 = 0
                            let start = line + c * blockSize
                            for x in 0..<blockSize { sum &+= UInt32(start[x]) }
                            sums[c] &+= sum
                        }
                    }
                    for c in 0..<columns {
                        var mean = Double(sums[c]) / Double(area)
                        if limitedRange { mean = (mean - 16) * 255 / 219 }
                        // Rounded, not truncated: a truncating grid hides half-level changes.
                        means[row * columns + c] = UInt8(max(0, min(255, mean.rounded())))
                    }
                }
            }
        }
        return LumaGrid(columns: columns, rows: rows, blockSize: blockSize, means: means)
    }
}

extension Frame {
    /// Block means of the luma plane. For layouts without a separate luma plane
    /// (packed RGB, YUYV), the frame is converted to gray first.
    public func lumaGrid(blockSize: Int = 8, converter: PixelConverter? = nil) throws(MediaError) -> LumaGrid {
        // Straight from the plane only where it holds one byte of luma per pixel: not
        // 1-bit pictures (monowhite, monoblack), palettes or deeper samples.
        if let descriptor = av_pix_fmt_desc_get(pixelFormat),
           descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 || descriptor.pointee.nb_components == 1,
           descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM) == 0,
           descriptor.pointee.comp.0.depth == 8, descriptor.pointee.comp.0.step == 1,
           let plane = pointer.pointee.data.0 {
            return LumaGrid.average(base: UnsafePointer(plane), stride: Int(pointer.pointee.linesize.0),
                                    width: width, height: height, blockSize: blockSize,
                                    limitedRange: !PixelConverter.isFullRange(self))
        }
        let gray = try (converter ?? PixelConverter()).image(from: self, format: .gray8)
        return LumaGrid(gray, blockSize: blockSize)
    }
}
