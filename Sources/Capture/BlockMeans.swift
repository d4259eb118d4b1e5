import Media

/// A picture reduced to the mean brightness of square blocks: the fingerprint that freeze
/// detection and still deduplication compare.
///
/// Averaging over a block (16 x 16 pixels by default) is what makes the comparison robust:
/// H.264 re-encodes a frozen screen with fresh quantisation noise at every keyframe, which
/// moves single pixels by several levels but a block's mean by well under 1.5 levels, while
/// live imaging moves the mean of a large share of the image's blocks by more.
///
/// Gray pixels are averaged as they are; RGB pixels as the mean of their three channels,
/// which is enough to tell pictures apart and saves a colour conversion per frame.
/// Blocks on the right and bottom edges may be narrower or shorter; their means are over
/// the pixels they hold.
public struct BlockMeans: Sendable, Equatable {
    /// Side of a block in pixels.
    public let blockSize: Int
    /// Size of the picture the means were taken from.
    public private(set) var imageWidth: Int
    public private(set) var imageHeight: Int
    /// Blocks across and down.
    public private(set) var columns: Int
    public private(set) var rows: Int
    /// `rows * columns` means, row by row, each 0...255.
    public private(set) var values: [Float]

    /// The block means of `image`.
    /// - Precondition: `blockSize` is at least 1.
    public init(_ image: Image, blockSize: Int = 16) {
        self.init(blockSize: blockSize)
        update(from: image)
    }

    /// An empty value to be filled by `update`.
    init(blockSize: Int) {
        precondition(blockSize >= 1, "a block needs at least one pixel, not \(blockSize)")
        self.blockSize = blockSize
        imageWidth = 0
        imageHeight = 0
        columns = 0
        rows = 0
        values = []
    }

    /// Recomputes the means from `image`, reusing this value's storage when the size is
    /// unchanged, so a per-frame caller does not allocate.
    public mutating func update(from image: Image) {
        let b = blockSize
        // The kernel reads with unchecked loads, so a picture whose bytes were replaced by a
        // wrong count must stop here rather than read past its end.
        precondition(image.pixels.count == image.width * image.height * image.format.channels,
                     "a \(image.width)x\(image.height) image with \(image.pixels.count) bytes")
        resize(imageWidth: image.width, imageHeight: image.height,
               columns: (image.width + b - 1) / b, rows: (image.height + b - 1) / b)
        let channels = image.format.channels
        let (width, height, columns, rows) = (imageWidth, imageHeight, columns, rows)
        let fullColumns = width / b
        let segmentBytes = b * channels
        // Sixteen-bit lanes hold the block sums below: each lane takes two bytes per
        // 8-byte word, so a block must not add more than 65535 / 255 bytes into one lane.
        let lanesFit = segmentBytes % 8 == 0 && (segmentBytes / 8) * 2 * b <= 65_535 / 255
        image.pixels.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(columns, 1)) { sums in
                    for blockRow in 0..<rows {
                        let top = blockRow * b
                        let bottom = min(top + b, height)
                        for i in 0..<columns { sums[i] = 0 }
                        for y in top..<bottom {
                            let row = raw.baseAddress! + y * width * channels
                            var first = 0
                            if lanesFit {
                                Self.addLanes(row: row, blocks: fullColumns, segmentBytes: segmentBytes, into: sums)
                                first = fullColumns
                            }
                            for column in first..<columns {
                                let start = column * segmentBytes
                                let end = min(start + segmentBytes, width * channels)
                                var total: UInt64 = 0
                                for offset in start..<end {
                                    total &+= UInt64(row.load(fromByteOffset: offset, as: UInt8.self))
                                }
                                sums[column] &+= total
                            }
                        }
                        for column in 0..<columns {
                            let total = column < fullColumns && lanesFit ? Self.laneTotal(sums[column]) : sums[column]
                            let blockWidth = min(b, width - column * b)
                            let pixels = blockWidth * (bottom - top) * channels
                            out[blockRow * columns + column] = Float(total) / Float(pixels)
                        }
                    }
                }
            }
        }
    }

    /// Sets the size, reallocating the means only when it changes.
    mutating func resize(imageWidth: Int, imageHeight: Int, columns: Int, rows: Int) {
        guard imageWidth != self.imageWidth || imageHeight != self.imageHeight || columns != self.columns
              || rows != self.rows || values.isEmpty else { return }
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.columns = columns
        self.rows = rows
        values = [Float](repeating: 0, count: columns * rows)
    }

    /// Gives `body` the means to write in place.
    mutating func withValues(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        values.withUnsafeMutableBufferPointer { body($0) }
    }

    /// The share of blocks, 0...1, whose means differ by more than `threshold` levels, or
    /// nil when the two were taken from pictures of different sizes or block sizes.
    public func fractionDiffering(from other: BlockMeans, by threshold: Float) -> Double? {
        guard other.columns == columns, other.rows == rows, other.blockSize == blockSize,
              other.imageWidth == imageWidth, other.imageHeight == imageHeight, !values.isEmpty
        else { return nil }
        var differing = 0
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                for i in 0..<a.count where abs(a[i] - b[i]) > threshold { differing += 1 }
            }
        }
        return Double(differing) / Double(values.count)
    }

    // MARK: - Sum kernel

    private static let evenBytes: UInt64 = 0x00FF_00FF_00FF_00FF

    /// Adds the bytes of `blocks` consecutive segments of one row into `sums`, eight bytes
    /// at a time (SIMD within a register): four 16-bit lanes per block, folded by
    /// `laneTotal` once the block row is done. About eight times fewer operations than a
    /// byte loop, which keeps a 1080p frame well under a millisecond in release and
    /// tolerable in a debug test run.
    @inline(__always)
    private static func addLanes(row: UnsafeRawPointer, blocks: Int, segmentBytes: Int,
                                 into sums: UnsafeMutableBufferPointer<UInt64>) {
        let words = segmentBytes / 8
        var offset = 0
        for block in 0..<blocks {
            var lanes: UInt64 = 0
            for _ in 0..<words {
                let word = row.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                lanes &+= (word & evenBytes) &+ ((word >> 8) & evenBytes)
                offset += 8
            }
            sums[block] &+= lanes
        }
    }

    /// The four 16-bit lanes of `lanes` added together.
    @inline(__always)
    private static func laneTotal(_ lanes: UInt64) -> UInt64 {
        (lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48)
    }
}
