import Foundation
import Records
import Testing

@Suite("Needle drawings: geometry and revisions")
struct NeedleAnnotationTests {
    static func geometry(tip: ImagePoint, target: ImagePoint? = nil, scale: Double? = 0.5) throws(RecordError) -> NeedleGeometry {
        try NeedleGeometry(entry: ImagePoint(x: 0, y: 0), tip: tip, target: target, millimetresPerPixel: scale)
    }

    @Test("a 3-4-5 needle: 36.87 degrees, 25 mm long, tip 15 mm deep")
    func threeFourFive() throws {
        let annotation = try NeedleAnnotation(
            stillID: Fixture.stillID, revision: 1, entry: ImagePoint(x: 0, y: 0), tip: ImagePoint(x: 40, y: 30),
            millimetresPerPixel: 0.5, author: "dr.lee", createdAt: Fixture.sessionStart)
        #expect(abs(annotation.angleDegrees - 36.8699) < 0.0001)
        #expect((annotation.angleDegrees * 100).rounded() / 100 == 36.87)
        #expect(annotation.lengthMillimetres == 25)
        #expect(annotation.tipDepthMillimetres == 15)
    }

    @Test("the angle is to the skin line whichever way the needle points", arguments: [
        (ImagePoint(x: -40, y: 30), 36.8699), (ImagePoint(x: 0, y: 50), 90), (ImagePoint(x: 50, y: 0), 0),
        (ImagePoint(x: 30, y: 30), 45), (ImagePoint(x: 30, y: 40), 53.1301),
    ] as [(ImagePoint, Double)])
    func angle(tip: ImagePoint, degrees: Double) throws {
        #expect(abs(try Self.geometry(tip: tip).angleDegrees - degrees) < 0.0001)
    }

    @Test("lengths need the scale; the distance to the target needs the target too")
    func scale() throws {
        let unscaled = try Self.geometry(tip: ImagePoint(x: 40, y: 30), scale: nil)
        #expect(unscaled.lengthPixels == 50)
        #expect(unscaled.lengthMillimetres == nil && unscaled.tipDepthMillimetres == nil)
        let aimed = try Self.geometry(tip: ImagePoint(x: 40, y: 30), target: ImagePoint(x: 40, y: 40))
        #expect(aimed.tipToTargetMillimetres == 5)
        #expect(try Self.geometry(tip: ImagePoint(x: 40, y: 30)).tipToTargetMillimetres == nil)
    }

    @Test("drawings that cannot be measured are refused", arguments: [
        (ImagePoint(x: 0, y: 0), 0.5, "needle entry and tip are the same point: draw the tip where the needle ends"),
        (ImagePoint(x: 40, y: 30), 0, "scale 0 mm/px is out of range: the scale is more than 0 and at most 10 mm/px"),
        (ImagePoint(x: 40, y: 30), 11, "scale 11 mm/px is out of range: the scale is more than 0 and at most 10 mm/px"),
        (ImagePoint(x: .nan, y: 30), 0.5, "coordinate nan is out of range: points are finite pixel positions"),
    ])
    func badGeometry(tip: ImagePoint, scale: Double, message: String) {
        expectRefusal(message) { () throws(RecordError) in try Self.geometry(tip: tip, scale: scale) }
    }

    @Test("revision numbers count from 1 and build on earlier ones", arguments: [
        (0, nil, "revision 0 is out of range: revisions are numbered from 1"),
        (2, 2, "revision 2 cannot be based on revision 2: a revision builds on an earlier one"),
        (2, 0, "revision 0 is out of range: revisions are numbered from 1"),
    ] as [(Int, Int?, String)])
    func badRevision(revision: Int, basedOn: Int?, message: String) throws {
        let geometry = try Self.geometry(tip: ImagePoint(x: 40, y: 30))
        expectRefusal(message) { () throws(RecordError) in
            try NeedleAnnotation(
                stillID: Fixture.stillID, revision: revision, geometry: geometry, author: "dr.lee",
                createdAt: Fixture.sessionStart, basedOnRevision: basedOn)
        }
    }

    @Test("a history appends, restores as a new revision, and never overwrites")
    func history() throws {
        var history = NeedleAnnotationHistory(stillID: Fixture.stillID)
        #expect(history.current == nil)
        let first = try history.append(try Self.geometry(tip: ImagePoint(x: 40, y: 30)), by: "dr.lee", at: Fixture.sessionStart)
        let second = try history.append(
            try Self.geometry(tip: ImagePoint(x: 44, y: 36)), by: "dr.kim", at: Fixture.sessionStart.addingTimeInterval(60),
            note: "tip deeper", basedOn: 1)
        let restored = try history.restore(revision: 1, by: "dr.lee", at: Fixture.sessionStart.addingTimeInterval(120))

        #expect(history.revisions.map(\.revision) == [1, 2, 3])
        #expect(history.revisions == [first, second, restored], "earlier revisions are untouched")
        #expect(history.current == restored)
        #expect(restored.revision == 3)
        #expect(restored.geometry == first.geometry)
        #expect(restored.geometry != second.geometry)
        #expect(restored.basedOnRevision == 2)
        #expect(restored.note == "restored revision 1")
        #expect(restored.author == "dr.lee")
        #expect(second.basedOnRevision == 1 && first.basedOnRevision == nil)
        #expect(history.revision(2) == second && history.revision(4) == nil && history.revision(0) == nil)
    }

    @Test("a history refuses revisions it does not have")
    func missingRevisions() throws {
        var history = NeedleAnnotationHistory(stillID: Fixture.stillID)
        expectRefusal("revision 1 does not exist: there are no revisions yet") { () throws(RecordError) in
            try history.restore(revision: 1, by: "dr.lee", at: Fixture.sessionStart)
        }
        let geometry = try Self.geometry(tip: ImagePoint(x: 40, y: 30))
        try history.append(geometry, by: "dr.lee", at: Fixture.sessionStart)
        expectRefusal("revision 7 does not exist: the only revision is 1") { () throws(RecordError) in
            try history.append(geometry, by: "dr.lee", at: Fixture.sessionStart, basedOn: 7)
        }
        try history.append(geometry, by: "dr.lee", at: Fixture.sessionStart, basedOn: 1)
        expectRefusal("revision 5 does not exist: revisions are 1-2") { () throws(RecordError) in
            try history.restore(revision: 5, by: "dr.lee", at: Fixture.sessionStart)
        }
        #expect(history.revisions.count == 2, "refused changes add nothing")
    }

    @Test("a stored history must run 1, 2, 3 for one still")
    func storedHistoryChecks() throws {
        let geometry = try Self.geometry(tip: ImagePoint(x: 40, y: 30))
        let first = try NeedleAnnotation(
            stillID: Fixture.stillID, revision: 1, geometry: geometry, author: "dr.lee", createdAt: Fixture.sessionStart)
        let third = try NeedleAnnotation(
            stillID: Fixture.stillID, revision: 3, geometry: geometry, author: "dr.lee", createdAt: Fixture.sessionStart)
        expectRefusal("revision 3 is out of sequence: the next revision is 2") { () throws(RecordError) in
            try NeedleAnnotationHistory(stillID: Fixture.stillID, revisions: [first, third])
        }
        let other = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
        expectRefusal(
            "annotation of still 6F1D2C3B-4A59-4E8F-9D7C-1B2A3C4D5E6F cannot join the history of still "
                + "11111111-2222-3333-4444-555555555555: keep one history per still"
        ) { () throws(RecordError) in
            try NeedleAnnotationHistory(stillID: other, revisions: [first])
        }
    }

    @Test("an annotation is stored as one flat object")
    func storedForm() throws {
        let json = """
            {"author":"dr.lee","basedOnRevision":1,"createdAt":"2024-03-09T16:00:00Z",\
            "entry":{"x":0,"y":0},"millimetresPerPixel":0.5,"note":"tip at capsule","revision":2,\
            "stillID":"6F1D2C3B-4A59-4E8F-9D7C-1B2A3C4D5E6F","target":{"x":42,"y":33},"tip":{"x":40,"y":30}}
            """
        let annotation = try decodeJSON(NeedleAnnotation.self, json)
        #expect(annotation.revision == 2 && annotation.basedOnRevision == 1)
        #expect(annotation.geometry == (try Self.geometry(tip: ImagePoint(x: 40, y: 30), target: ImagePoint(x: 42, y: 33))))
        #expect(annotation.lengthMillimetres == 25)
        #expect(try encodeJSON(annotation) == json)
        #expect(decodingFailure(NeedleAnnotation.self, json.replacingOccurrences(of: #""tip":{"x":40,"y":30}"#, with: #""tip":{"x":0,"y":0}"#))
            == "needle entry and tip are the same point: draw the tip where the needle ends")
    }
}
