import Anatomy
import SampleKit
import Testing

@Suite("Ground truth matches the spec")
struct GroundTruthTests {
    @Test("standard specs validate", arguments: ClipSpec.standard)
    func standardSpecsValidate(spec: ClipSpec) throws {
        try spec.validate()
    }

    @Test("dimensions, timing and per-frame arrays match the spec", arguments: ClipSpec.standard)
    func dimensions(spec: ClipSpec) {
        let truth = GroundTruth(spec: spec)
        #expect(truth.width == spec.width && truth.height == spec.height)
        #expect(truth.framesPerSecond == spec.framesPerSecond && truth.frameCount == spec.frameCount)
        #expect(truth.durationSeconds == Double(spec.frameCount) / Double(spec.framesPerSecond))
        #expect(truth.needle.count == spec.frameCount)
        #expect(truth.fileName == spec.fileName && truth.container == spec.container && truth.codec == spec.codec)
        #expect(truth.probe == spec.probe && truth.colorUI == spec.colorUI && truth.seed == spec.seed)
        #expect(truth.patientName == spec.identity.patientName && truth.date == spec.identity.date)
        #expect(truth.views.first?.firstFrame == 0 && truth.views.last?.lastFrame == spec.frameCount - 1)
        // The depth scale agrees with the millimetre scale: the image is as deep as the setting.
        let depthPixels = spec.depthMillimetres / truth.mmPerPixel
        if let fan = truth.imageRegion.fan {
            #expect(abs(fan.outerRadius - fan.innerRadius - depthPixels) < 1)
            #expect(fan.apex.y < Double(truth.imageRegion.bounds.y))
        } else {
            #expect(abs(Double(truth.imageRegion.bounds.height) - depthPixels) < 1)
        }
    }

    @Test("furniture and identifiers stay outside the image region", arguments: ClipSpec.standard)
    func layout(spec: ClipSpec) {
        let truth = GroundTruth(spec: spec)
        let image = truth.imageRegion.bounds
        let frame = PixelRect(x: 0, y: 0, width: spec.width, height: spec.height)
        let furniture = truth.burnedInTextRegions.map(\.rect)
            + [truth.clockRegion, truth.frameCounterRegion, truth.freezeIndicatorRegion, truth.depthScaleRegion]
        for rect in furniture {
            #expect(frame.union(rect) == frame, "\(rect) leaves the frame")
            let overlap = rect.x < image.x + image.width && image.x < rect.x + rect.width
                && rect.y < image.y + image.height && image.y < rect.y + rect.height
            #expect(!overlap, "\(rect) overlaps the image \(image)")
        }
        // The clock sits inside the identifying header band.
        let header = truth.burnedInTextRegions.first { $0.name == "header" }!.rect
        #expect(header.union(truth.clockRegion) == header)
    }

    @Test("invalid specs are refused with a reason")
    func validation() {
        var spec = ClipSpec.lumbarCapture
        spec.freezes = [FreezeSpec(startSeconds: 0.1, durationSeconds: 1)]
        #expect(throws: ClipSpecError.self) { try spec.validate() }
        spec = ClipSpec.lumbarCapture
        spec.freezes = [FreezeSpec(startSeconds: 6, durationSeconds: 1)]  // during the needle advance
        #expect(throws: ClipSpecError.self) { try spec.validate() }
        for level in [VertebralSpan(covering: .l3, .l5), VertebralSpan(.l4), VertebralSpan(covering: .l5, .l6)] {
            spec = ClipSpec.lumbarCapture
            spec.tags[0].level = level  // a range, a single level, a transitional level: not a segment
            #expect(throws: ClipSpecError.self, "\(level)") { try spec.validate() }
            spec = ClipSpec.lumbarCapture
            spec.views[0].level = level
            #expect(throws: ClipSpecError.self, "\(level)") { try spec.validate() }
        }
        spec = ClipSpec.lumbarCapture
        spec.tags[0].structure = TargetStructure.ID(rawValue: "facet")  // a synonym, not a catalogue id
        #expect(throws: ClipSpecError.self) { try spec.validate() }
        #expect(throws: Never.self) { try Fixtures.linearGray.validate() }
        #expect(throws: Never.self) { try Fixtures.curvedColor.validate() }
        #expect(throws: Never.self) { try Fixtures.frameRateConverted.validate() }
    }
}
