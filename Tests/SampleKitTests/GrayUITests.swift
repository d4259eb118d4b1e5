import Testing
import SampleKit

@Suite("Grey and coloured furniture")
struct GrayUITests {
    @Test("a grey clip has R = G = B in every pixel: live, moving, needle, frozen")
    func grayClipIsGray() throws {
        let screen = ScannerScreen(spec: Fixtures.linearGray)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let needleFrame = try #require(truth.needle.firstIndex { $0 != nil })
        for index in [0, 15, needleFrame + 3, freeze.firstFrame + 1] {
            let rgb = screen.render(frame: index)
            var colored = 0
            for i in stride(from: 0, to: rgb.count, by: 3) where rgb[i] != rgb[i + 1] || rgb[i] != rgb[i + 2] { colored += 1 }
            #expect(colored == 0, "frame \(index)")
        }
    }

    @Test("a coloured clip has coloured furniture but a grey image")
    func colorClipHasColor() throws {
        let screen = ScannerScreen(spec: Fixtures.curvedColor)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let rgb = screen.render(frame: freeze.firstFrame)
        let box = truth.freezeIndicatorRegion
        let center = ((box.y + box.height / 2) * truth.width + box.x + 1) * 3
        #expect(rgb[center] > rgb[center + 2] + 100)  // yellow
        for offset in imageOffsets(truth) { #expect(rgb[offset] == rgb[offset + 1] && rgb[offset] == rgb[offset + 2]) }
    }

    @Test("the standard clips mix grey and coloured furniture")
    func standardMix() {
        #expect(ClipSpec.standard.contains { $0.colorUI })
        #expect(ClipSpec.standard.contains { !$0.colorUI })
    }
}
