import Anatomy
import Records
import SampleKit
import Testing

@Suite("The tech's tag file")
struct TagFileTests {
    @Test("Records reads the tag file back to the script", arguments: ClipSpec.standard + [Fixtures.linearGray])
    func roundTrip(spec: ClipSpec) throws {
        let text = GroundTruth(spec: spec).tagFileText
        let events = try TagFile(parsing: text, author: "tech1").events
        try #require(events.count == spec.tags.count)
        for (event, tag) in zip(events, spec.tags) {
            #expect(abs(event.time - tag.seconds) < 1e-9)
            #expect(event.site == AnatomicSite(tag.level, laterality: tag.side))
            #expect(event.structure == tag.structure)
            #expect(event.source == .tagFile)
        }
    }

    @Test("lines read mm:ss.s LEVEL STRUCTURE SIDE")
    func format() {
        let text = GroundTruth(spec: ClipSpec.lumbarCapture).tagFileText
        #expect(text == "00:00.5 L4-L5 interspinous-ligament midline\n00:05.0 L5-S1 facet-capsule right\n")
    }

    @Test("tag intervals run from one tag to the next")
    func intervals() {
        let truth = GroundTruth(spec: ClipSpec.lumbarCapture)
        #expect(truth.tags.count == 2)
        #expect(truth.tags[0].firstFrame == 15 && truth.tags[0].lastFrame == 149)
        #expect(truth.tags[1].firstFrame == 150 && truth.tags[1].lastFrame == 299)
        #expect(truth.tags[0].endSeconds == truth.tags[1].startSeconds)
    }
}
