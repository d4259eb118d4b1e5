import Anatomy
import Foundation
import Records
import Testing

@Suite("The tag in force at a moment of the session")
struct TagTimelineTests {
    static func event(_ time: Double, _ site: String, _ author: String = "tech1") throws -> TagEvent {
        try TagEvent(time: time, site: AnatomicSite(parsing: site), author: author, source: .live)
    }

    /// Given out of order; L4-L5 and its correction to L5-S1 share 20 s.
    static func timeline() throws -> TagTimeline {
        TagTimeline([
            try event(35, "T12-L1"), try event(20, "L4-L5"), try event(10, "L3-L4"), try event(20, "L5-S1"),
        ])
    }

    @Test("events sort by time and ties keep the order they came in")
    func order() throws {
        #expect(try Self.timeline().events.map(\.site.description) == ["L3-L4", "L4-L5", "L5-S1", "T12-L1"])
    }

    @Test("lookups find the latest tag at or before the time", arguments: [
        (0, nil), (9.999, nil), (10, "L3-L4"), (15, "L3-L4"), (19.999, "L3-L4"),
        (20, "L5-S1"), (34.9, "L5-S1"), (35, "T12-L1"), (10_000, "T12-L1"), (-1, nil), (.nan, nil),
    ] as [(Double, String?)])
    func lookup(time: Double, site: String?) throws {
        #expect(try Self.timeline().tag(at: time)?.site.description == site)
    }

    @Test("an empty timeline has no tag")
    func empty() {
        #expect(TagTimeline([]).tag(at: 5) == nil)
    }

    @Test("a live tag inserted at an existing time takes over from then")
    func insert() throws {
        var timeline = try Self.timeline()
        timeline.insert(try Self.event(20, "left SI joint"))
        timeline.insert(try Self.event(0, "lumbar"))
        #expect(timeline.events.map(\.site.description) == ["lumbar", "L3-L4", "L4-L5", "L5-S1", "left SI joint", "T12-L1"])
        #expect(timeline.tag(at: 20)?.site.description == "left SI joint")
        #expect(timeline.tag(at: 5)?.site.description == "lumbar")
    }

    @Test("tag times cannot be negative or unknown", arguments: [
        (-0.5, "time -0.5 s is out of range: times are 0 s or more from the session start"),
        (.infinity, "time inf s is out of range: times are 0 s or more from the session start"),
    ])
    func badTime(time: Double, message: String) throws {
        let site = try AnatomicSite(parsing: "L4")
        expectRefusal(message) { () throws(RecordError) in try TagEvent(time: time, site: site, author: "tech1", source: .live) }
    }

    @Test("a tag event's stored form is pinned")
    func storedForm() throws {
        let json = #"{"author":"tech1","site":"left L4-L5","source":"tag-file","structure":"facet-capsule","time":12.5}"#
        let event = try decodeJSON(TagEvent.self, json)
        #expect(event == (try TagEvent(
            time: 12.5, site: AnatomicSite(parsing: "left L4-L5"), structure: TargetStructure.facetCapsule.id,
            author: "tech1", source: .tagFile)))
        #expect(try encodeJSON(event) == json)
        #expect(decodingFailure(TagEvent.self, json.replacingOccurrences(of: "12.5", with: "-3"))
            == "time -3 s is out of range: times are 0 s or more from the session start")
        #expect(try encodeJSON(TagTimeline([event])) == "[\(json)]")
    }
}
