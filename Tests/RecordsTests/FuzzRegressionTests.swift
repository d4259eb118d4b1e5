import Anatomy
import Foundation
import Records
import Testing

/// Inputs that reached a trap in Records through the `tools/fuzz tagfile` harness, with
/// what they must give now.
@Suite("fuzzing finds: tag files and API bodies")
struct FuzzRegressionTests {
    /// The body of `POST /api/stills/ID/restore` as the review controller decodes it.
    struct RestoreRequest: Decodable { var revision: Int; var basedOn: Int }

    static func history() throws -> NeedleAnnotationHistory {
        var history = NeedleAnnotationHistory(stillID: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!)
        let geometry = try NeedleGeometry(entry: ImagePoint(x: 10, y: 0), tip: ImagePoint(x: 100, y: 80))
        try history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 0))
        try history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 1), basedOn: 1)
        return history
    }

    /// `revision(_:)` computed `number - 1` first, which traps for Int.min: one restore
    /// request with this body stopped the daemon, recording and all.
    @Test("a restore of revision Int.min finds no revision instead of trapping")
    func restoreIntMin() throws {
        let body = try JSONDecoder().decode(RestoreRequest.self, from: Data(#"{"revision":-9223372036854775808,"basedOn":1}"#.utf8))
        var history = try Self.history()
        #expect(history.revision(body.revision) == nil)
        #expect(history.revision(0) == nil && history.revision(3) == nil && history.revision(2)?.revision == 2)
        #expect(throws: RecordError.noSuchRevision(Int.min, latest: 2)) {
            try history.restore(revision: body.revision, by: "dr.lee", at: Date(timeIntervalSince1970: 2))
        }
        let geometry = try NeedleGeometry(entry: ImagePoint(x: 1, y: 0), tip: ImagePoint(x: 2, y: 3))
        #expect(throws: RecordError.noSuchRevision(Int.min, latest: 2)) {
            try history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 2), basedOn: Int.min)
        }
        #expect(RecordError.noSuchRevision(Int.min, latest: 2).description
                == "revision -9223372036854775808 does not exist: revisions are 1-2")
    }

    /// `9999999999999:00:00` read as 3.6e16 s, and `TagFile.text`, which promises to
    /// write any file it read back to the millisecond, trapped converting that to Int
    /// milliseconds. Times now stop at 999:59:59.999.
    @Test("a tag time of 1000 hours or more is refused, saying how far times run", arguments: [
        "9999999999999:00:00", "1000:00:00", "60000:00", "99999999999999999999:00", "999:59:59.9996",
    ])
    func timeTooLate(time: String) {
        let error = #expect(throws: TagFileError.self) { try TagFile(parsing: "\(time) L4\n", author: "tech1") }
        #expect(error?.problems.map(\.line) == [1])
        #expect(error?.problems.first?.reason == .badTime(time, .tooLate))
        #expect(error?.description == "line 1: \"\(time)\" is not a time in a clip: tag times run up to 999:59:59.999")
    }

    @Test("the latest time reads, writes and reads back")
    func latestTime() throws {
        let file = try TagFile(parsing: "999:59:59.999 L4\n59999:00 L5\n", author: "tech1")
        #expect(file.text == "999:59:59.999 L4\n999:59:00 L5\n")
        #expect(try TagFile(parsing: file.text, author: "tech1") == file)
    }

    @Test("an event built in code with an absurd time is written without trapping")
    func absurdEventTime() throws {
        let event = try TagEvent(time: 1e300, site: AnatomicSite(.l4), author: "tech1", source: .review)
        let text = TagFile(events: [event]).text
        #expect(text.hasSuffix(":00:00 L4\n"))
        #expect(throws: TagFileError.self) { try TagFile(parsing: text, author: "tech1") }
    }
}
