import Capture
import Media
import Testing

@Suite("Frames are compared by their block means")
struct BlockMeansTests {
    @Test("block means are plain averages, edge blocks and RGB included",
          arguments: [(37, 21, Image.Format.gray8, 16), (64, 48, .gray8, 16), (50, 33, .rgb24, 16), (40, 40, .gray8, 5)])
    func plainAverages(width: Int, height: Int, format: Image.Format, blockSize: Int) throws {
        var state: UInt32 = 7
        let pixels = (0..<(width * height * format.channels)).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let image = try Image(width: width, height: height, format: format, pixels: pixels)
        let means = BlockMeans(image, blockSize: blockSize)
        #expect(means.columns == (width + blockSize - 1) / blockSize)
        #expect(means.rows == (height + blockSize - 1) / blockSize)
        for row in 0..<means.rows {
            for column in 0..<means.columns {
                var total = 0, count = 0
                for y in (row * blockSize)..<min((row + 1) * blockSize, height) {
                    for x in (column * blockSize * format.channels)..<min((column + 1) * blockSize, width) * format.channels {
                        total += Int(pixels[y * width * format.channels + x])
                        count += 1
                    }
                }
                #expect(abs(means.values[row * means.columns + column] - Float(total) / Float(count)) < 0.001)
            }
        }
    }

    @Test("Media's 8-pixel luma grid pools into 16-pixel blocks")
    func pooledLumaGrid() {
        let grid = LumaGrid(columns: 3, rows: 2, blockSize: 8, means: [10, 20, 30, 40, 50, 60])
        let means = BlockMeans(grid)
        #expect(means.blockSize == 16)
        #expect(means.columns == 2 && means.rows == 1)
        #expect(means.values == [30, 45])
    }
}
