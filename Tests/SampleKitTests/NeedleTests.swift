import Testing
import SampleKit

@Suite("In-plane needle")
struct NeedleTests {
    @Test("the tip advances monotonically to the target and stays inside the image", arguments: ClipSpec.standard + [Fixtures.curvedColor])
    func tipAdvancesInsideImage(spec: ClipSpec) throws {
        let truth = GroundTruth(spec: spec)
        let target = try #require(truth.needleTarget)
        let frames = truth.needle.enumerated().compactMap { index, frame in frame.map { (index, $0) } }
        let first = try #require(frames.first)
        #expect(truth.needle.prefix(first.0).allSatisfy { $0 == nil })
        var distance = Double.infinity
        for (index, frame) in frames {
            let d = frame.tip.distance(to: target)
            #expect(d <= distance + 1e-9, "frame \(index) moved away from the target")
            distance = d
            #expect(truth.imageRegion.contains(frame.tip), "frame \(index) tip \(frame.tip)")
            #expect(truth.imageRegion.contains(frame.entry))
            #expect((20...45).contains(frame.angleDegrees))
        }
        #expect(distance < 0.01)  // reaches the target and is held there
        // The entry lies on the image edge: a step outwards leaves the image.
        let entry = first.1.entry
        let outward = PixelPoint(x: entry.x + (entry.x - target.x) * 0.02, y: entry.y + (entry.y - target.y) * 0.02)
        #expect(!truth.imageRegion.contains(outward))
    }

    @Test("the needle does not advance during a freeze", arguments: ClipSpec.standard)
    func needleHeldInFreeze(spec: ClipSpec) {
        let truth = GroundTruth(spec: spec)
        for freeze in truth.freezes {
            let states = freeze.frames.map { truth.needle[$0] }
            #expect(Set(states.map { $0?.tip }).count == 1)
        }
    }

    @Test("the needle is drawn bright at the tip's position")
    func needleIsDrawn() throws {
        let screen = ScannerScreen(spec: Fixtures.linearGray)
        let truth = screen.groundTruth
        let index = try #require(truth.needle.lastIndex { $0 != nil })
        let frame = try #require(truth.needle[index])
        let rgb = screen.render(frame: index)
        // Halfway along the shaft the needle outshines the tissue.
        let x = Int((frame.entry.x + frame.tip.x) / 2), y = Int((frame.entry.y + frame.tip.y) / 2)
        #expect(rgb[(y * truth.width + x) * 3] > 180)
    }
}
