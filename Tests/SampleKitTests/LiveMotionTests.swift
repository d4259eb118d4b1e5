import Anatomy
import SampleKit
import Testing

@Suite("Live imaging is never static")
struct LiveMotionTests {
    @Test("consecutive live frames differ by at least 2 grey levels on average", arguments: [Fixtures.linearGray, Fixtures.curvedColor])
    func consecutiveLiveFramesDiffer(spec: ClipSpec) {
        let screen = ScannerScreen(spec: spec)
        let truth = screen.groundTruth
        let offsets = imageOffsets(truth)
        let frozen = Set(truth.freezes.flatMap { Array($0.frames) })
        var previous = screen.render(frame: 0)
        var checked = 0
        for index in 1..<spec.frameCount {
            let current = screen.render(frame: index)
            if !frozen.contains(index), !frozen.contains(index - 1) {
                let mad = meanAbsoluteDifference(previous, current, at: offsets)
                #expect(mad >= 2, "frames \(index - 1) and \(index): mean absolute difference \(mad)")
                checked += 1
            }
            previous = current
        }
        #expect(checked > spec.frameCount / 2)
    }

    @Test("the probe move shows up in the views")
    func probeMoveIsRecorded() throws {
        let truth = GroundTruth(spec: Fixtures.curvedColor)
        #expect(truth.views.map(\.moving) == [false, true, false])
        let move = try #require(truth.views.first { $0.moving })
        #expect(move.level == VertebralSpan(covering: .l4, .l5))
        #expect(move.toLevel == VertebralSpan(covering: .l5, .s1))
        #expect(move.lastFrame - move.firstFrame + 1 == 6)  // 0.4 s at 15 fps
        // Views cover every frame exactly once, in order.
        #expect(truth.views.first?.firstFrame == 0)
        #expect(truth.views.last?.lastFrame == truth.frameCount - 1)
        for (a, b) in zip(truth.views, truth.views.dropFirst()) { #expect(b.firstFrame == a.lastFrame + 1) }
    }
}
