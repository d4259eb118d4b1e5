import Testing
@testable import Media

@Suite("a still's block means")
struct LumaGridTests {
    @Test("an RGB image's grid, reduced a band at a time, equals the grid of its gray copy",
          arguments: [(37, 29, 8), (64, 48, 8), (1148, 40, 8), (99, 17, 4), (7, 7, 8)])
    func bandsMatchTheGrayCopy(size: (Int, Int, Int)) throws {
        let (width, height, block) = size
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(width * 31 + height)
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let image = try Image(width: width, height: height, format: .rgb24, pixels: pixels)
        let banded = LumaGrid(image, blockSize: block)
        let whole = LumaGrid(image.grayscale(), blockSize: block)
        #expect(banded == whole)
        #expect(banded.columns == width / block && banded.rows == height / block)
    }
}
