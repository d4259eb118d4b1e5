import Testing
import SampleKit

@Suite("The tech's tag file")
struct TagFileTests {
    @Test("tag file text parses back to the script", arguments: ClipSpec.standard)
    func roundTrip(spec: ClipSpec) throws {
        let truth = GroundTruth(spec: spec)
        let events = try GroundTruth.parseTagFile(truth.tagFileText)
        #expect(events == spec.tags.map { TagEvent(seconds: $0.seconds, level: $0.level, structure: $0.structure, side: $0.side) })
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

    @Test("a bad line says what is wrong")
    func badLines() {
        #expect(throws: TagFileError.self) { try GroundTruth.parseTagFile("00:01.0 L4-L5 facet left\n") }
        do {
            _ = try GroundTruth.parseTagFile("\n1:2:3 L4-L5 facet-capsule left")
            Issue.record("expected an error")
        } catch let error as TagFileError {
            #expect(error.line == 2)
            #expect(error.description.contains("mm:ss.s"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
