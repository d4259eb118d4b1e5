import Media

extension BlockMeans {
    /// Block means from Media's `LumaGrid` (luma averaged straight off the decoder's plane,
    /// which spares a conversion to gray), pooled to blocks of `blockSize` pixels when that
    /// is a multiple of the grid's block size; otherwise the grid's own blocks are kept.
    ///
    /// The grid covers only its whole blocks (a right or bottom remainder is left out), and
    /// its means are whole levels, often in limited range (16-235); the detector's
    /// thresholds, measured on full-range gray, hold for it too on SampleData.
    public init(_ grid: LumaGrid, blockSize: Int = 16) {
        self.init(blockSize: Self.pooledBlockSize(grid, wanted: blockSize))
        update(from: grid)
    }

    /// Recomputes the means from `grid`, reusing storage when the size is unchanged.
    /// - Precondition: `blockSize` is the grid's block size or a multiple of it.
    public mutating func update(from grid: LumaGrid) {
        precondition(blockSize % grid.blockSize == 0,
                     "\(blockSize)-pixel blocks cannot be pooled from a grid of \(grid.blockSize)-pixel blocks")
        let factor = blockSize / grid.blockSize
        let columns = (grid.columns + factor - 1) / factor
        let rows = (grid.rows + factor - 1) / factor
        resize(imageWidth: grid.columns * grid.blockSize, imageHeight: grid.rows * grid.blockSize,
               columns: columns, rows: rows)
        grid.means.withUnsafeBufferPointer { means in
            withValues { out in
                for row in 0..<rows {
                    for column in 0..<columns {
                        var total = 0, count = 0
                        for y in (row * factor)..<min((row + 1) * factor, grid.rows) {
                            for x in (column * factor)..<min((column + 1) * factor, grid.columns) {
                                total += Int(means[y * grid.columns + x])
                                count += 1
                            }
                        }
                        out[row * columns + column] = Float(total) / Float(count)
                    }
                }
            }
        }
    }

    /// `wanted` when the grid's blocks pool into it, else the grid's own block size.
    static func pooledBlockSize(_ grid: LumaGrid, wanted: Int) -> Int {
        wanted >= grid.blockSize && wanted % grid.blockSize == 0 ? wanted : grid.blockSize
    }
}
