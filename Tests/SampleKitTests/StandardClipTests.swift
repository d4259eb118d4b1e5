import Testing
import SampleKit

/// A few checks on the real SampleData clips themselves (the fixtures cover the rest), kept
/// to the 640x480 ones so a debug run stays quick.
@Suite("Standard clips")
struct StandardClipTests {
    @Test("lumbar capture: grey everywhere, first freeze bit-exact, live frames moving")
    func lumbarCapture() throws {
        let screen = ScannerScreen(spec: .lumbarCapture)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let bounds = truth.imageRegion.bounds
        let reference = bytes(of: bounds, in: screen.render(frame: freeze.firstFrame), width: truth.width)
        for index in stride(from: freeze.firstFrame + 1, through: freeze.lastFrame, by: 3) {
            #expect(bytes(of: bounds, in: screen.render(frame: index), width: truth.width) == reference, "frame \(index)")
        }
        let offsets = imageOffsets(truth)
        for index in [10, 130, 200, 290] {  // L4-L5, probe move, needle advancing, after the last freeze
            let a = screen.render(frame: index), b = screen.render(frame: index + 1)
            #expect(meanAbsoluteDifference(a, b, at: offsets) >= 2, "frames \(index), \(index + 1)")
            var colored = 0
            for i in stride(from: 0, to: a.count, by: 3) where a[i] != a[i + 1] || a[i] != a[i + 2] { colored += 1 }
            #expect(colored == 0)
        }
    }

    @Test("thoracic frame-rate conversion: duplicates exact over the first second")
    func thoracicDuplicates() {
        let screen = ScannerScreen(spec: .thoracicFRC)
        let truth = screen.groundTruth
        var previous = screen.render(frame: 0)
        for index in 1..<30 {
            let current = screen.render(frame: index)
            #expect((current == previous) == truth.duplicateFrames.contains(index), "frame \(index)")
            previous = current
        }
    }
}
