import Testing
@testable import SampleKit

@Suite("frame numbers coded in the pixels")
struct FrameCodeTests {
    static func luma(_ rgb: [UInt8], width: Int) -> (Int, Int) -> Int {
        { x, y in Int(rgb[(y * width + x) * 3 + 1]) }
    }

    @Test("a number drawn is the number read, at every width", arguments: [(640, 480), (1148, 624), (1920, 1080), (320, 240)])
    func roundTrip(_ size: (width: Int, height: Int)) {
        for number in [0, 1, 2, 17, 255, 256, 4095, 40_000, FrameCode.maximum] {
            var rgb = [UInt8](repeating: 90, count: size.width * size.height * 3)
            FrameCode.draw(number, intoRGB: &rgb, width: size.width, height: size.height)
            #expect(FrameCode.read(width: size.width, height: size.height, luma: Self.luma(rgb, width: size.width)) == number)
        }
    }

    @Test("a picture without a code, or with a damaged one, reads as none")
    func noCode() {
        let width = 640, height = 480
        #expect(FrameCode.read(width: width, height: height) { _, _ in 0 } == nil)
        #expect(FrameCode.read(width: width, height: height) { _, _ in 255 } == nil)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        FrameCode.draw(1234, intoRGB: &rgb, width: width, height: height)
        // Flip one data cell (the fifth): the check no longer matches.
        let cell = FrameCode.cell(forWidth: width)
        for y in cell..<(2 * cell) {
            for x in (5 * cell)..<(6 * cell) {
                for c in 0..<3 { rgb[(y * width + x) * 3 + c] ^= 0xFF }
            }
        }
        #expect(FrameCode.read(width: width, height: height, luma: Self.luma(rgb, width: width)) == nil)
        // Too narrow a picture for the code.
        #expect(FrameCode.read(width: 100, height: 20) { _, _ in 255 } == nil)
    }

    @Test("numbered clips carry each frame's index; others carry none")
    func numberedClip() {
        var spec = ClipSpec.lumbarCapture
        spec.frameCount = 12
        spec.numbered = true
        let screen = ScannerScreen(spec: spec)
        for index in [0, 5, 11] {
            let rgb = screen.render(frame: index)
            #expect(FrameCode.read(width: spec.width, height: spec.height, luma: Self.luma(rgb, width: spec.width)) == index)
        }
        spec.numbered = nil
        let plain = ScannerScreen(spec: spec).render(frame: 5)
        #expect(FrameCode.read(width: spec.width, height: spec.height, luma: Self.luma(plain, width: spec.width)) == nil)
    }
}
