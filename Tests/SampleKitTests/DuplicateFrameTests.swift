import Testing
import SampleKit

@Suite("Frame-rate conversion duplicates")
struct DuplicateFrameTests {
    @Test("every 6th frame copies its predecessor bit for bit, and no other frame does")
    func duplicatesAreExactAndOnlyThere() {
        let spec = Fixtures.frameRateConverted
        let screen = ScannerScreen(spec: spec)
        let truth = screen.groundTruth
        #expect(truth.duplicateFrames == Array(stride(from: 5, to: spec.frameCount, by: 6)))
        #expect(truth.sourceFramesPerSecond == 25)
        var previous = screen.render(frame: 0)
        var found: [Int] = []
        for index in 1..<spec.frameCount {
            let current = screen.render(frame: index)
            if current == previous { found.append(index) }
            previous = current
        }
        // Even frozen frames differ from their predecessor (frame counter), so only the
        // inserted copies repeat.
        #expect(found == truth.duplicateFrames)
    }

    @Test("the standard frame-rate-converted clip declares its duplicates; the others have none", arguments: ClipSpec.standard)
    func standardDuplicates(spec: ClipSpec) {
        let truth = GroundTruth(spec: spec)
        if spec.duplicateEvery == 6 {
            #expect(truth.duplicateFrames.count == spec.frameCount / 6)
            #expect(truth.duplicateFrames.allSatisfy { $0 % 6 == 5 })
        } else {
            #expect(truth.duplicateFrames.isEmpty)
        }
    }
}
