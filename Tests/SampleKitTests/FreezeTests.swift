import Testing
import SampleKit

@Suite("Freeze: the image stops, the clock runs on")
struct FreezeTests {
    @Test("the image region is bit-identical across every frame of each freeze", arguments: [Fixtures.linearGray, Fixtures.curvedColor])
    func frozenImageIsIdentical(spec: ClipSpec) throws {
        let screen = ScannerScreen(spec: spec)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let bounds = truth.imageRegion.bounds
        let first = screen.render(frame: freeze.firstFrame)
        let reference = bytes(of: bounds, in: first, width: spec.width)
        for index in freeze.frames.dropFirst() {
            #expect(bytes(of: bounds, in: screen.render(frame: index), width: spec.width) == reference, "frame \(index)")
        }
        // The clock runs on (a freeze of more than a second crosses a second boundary) and
        // the frame counter changes every frame.
        let last = screen.render(frame: freeze.lastFrame)
        #expect(bytes(of: truth.clockRegion, in: first, width: spec.width) != bytes(of: truth.clockRegion, in: last, width: spec.width))
        let next = screen.render(frame: freeze.firstFrame + 1)
        #expect(bytes(of: truth.frameCounterRegion, in: first, width: spec.width)
            != bytes(of: truth.frameCounterRegion, in: next, width: spec.width))
    }

    @Test("the freeze indicator shows only while frozen")
    func indicatorOnlyWhileFrozen() throws {
        let screen = ScannerScreen(spec: Fixtures.linearGray)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let box = truth.freezeIndicatorRegion
        func lit(_ index: Int) -> Int {
            bytes(of: box, in: screen.render(frame: index), width: truth.width).filter { $0 > 128 }.count
        }
        #expect(lit(freeze.firstFrame) > box.width * box.height)  // filled box, three bytes a pixel
        #expect(lit(freeze.lastFrame) > box.width * box.height)
        #expect(lit(freeze.firstFrame - 1) == 0)
        #expect(lit(freeze.lastFrame + 1) == 0)
    }

    @Test("the image resumes live after the freeze")
    func liveAfterFreeze() throws {
        let screen = ScannerScreen(spec: Fixtures.curvedColor)
        let truth = screen.groundTruth
        let freeze = try #require(truth.freezes.first)
        let offsets = imageOffsets(truth)
        let frozen = screen.render(frame: freeze.lastFrame)
        let after = screen.render(frame: freeze.lastFrame + 1)
        #expect(meanAbsoluteDifference(frozen, after, at: offsets) > 2)
    }

    @Test("standard freezes are long enough and away from the clip ends", arguments: ClipSpec.standard)
    func standardFreezes(spec: ClipSpec) {
        let truth = GroundTruth(spec: spec)
        #expect(!truth.freezes.isEmpty)
        for freeze in truth.freezes {
            #expect(freeze.endSeconds - freeze.startSeconds >= 1.0)
            #expect(freeze.firstFrame >= spec.framesPerSecond / 2)
            #expect(freeze.lastFrame < spec.frameCount - spec.framesPerSecond / 2)
        }
    }
}
