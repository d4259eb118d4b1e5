import Foundation
import Records
import Testing
@testable import Archive

/// A session's sendings to the PACS (issue 15): kept as they progress, newest first, each
/// object's status and commitment read back whole; refused for a session that does not exist.
@Suite("a session's sendings to the PACS")
struct PACSDeliveryTests {
    @Test("kept, rewritten as it progresses, listed newest first; other sessions have none; an unknown session is refused")
    func keptAndListed() async throws {
        let f = try await ArchiveFixture()
        _ = try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let other = try await f.session("P-1", day: 2)
        let start = Date(timeIntervalSince1970: 1_760_000_000)
        var first = PACSDelivery(session: session.id, destination: "PACS@pacs.clinic.local:104", by: "dr.lee", startedAt: start, commitmentAsked: true)
        try await f.archive.record(first)
        #expect(try await f.archive.deliveries(ofSession: session.id) == [first])
        #expect(try await f.archive.deliveries(ofSession: session.id).first?.isComplete == false)

        let still = UUID()
        first.instances = [
            .init(sopInstanceUID: "2.25.11", kind: "image", still: still, status: "stored", commitment: "committed"),
            .init(sopInstanceUID: "2.25.12", kind: "presentation state", still: still, status: "already-stored", commitment: "committed"),
        ]
        first.finishedAt = start.addingTimeInterval(4.25)
        try await f.archive.record(first)
        let second = PACSDelivery(session: session.id, destination: "PACS@pacs.clinic.local:104", by: "dr.lee", startedAt: start.addingTimeInterval(60),
                                  finishedAt: start.addingTimeInterval(61), commitmentAsked: false,
                                  instances: [.init(sopInstanceUID: "2.25.13", kind: "video", status: "refused", detail: "the SOP class is not supported (0x122)")],
                                  problem: nil)
        try await f.archive.record(second)
        let listed = try await f.archive.deliveries(ofSession: session.id)
        #expect(listed == [second, first])
        #expect(listed[1].isComplete && !listed[0].isComplete)
        #expect(listed[1].instances[1].status == "already-stored" && listed[1].instances[0].still == still)
        #expect(try await f.archive.deliveries(ofSession: other.id).isEmpty)

        let error = await #expect(throws: ArchiveError.self) {
            try await f.archive.record(PACSDelivery(session: UUID(), destination: "PACS@x:104", by: "dr.lee", startedAt: start, commitmentAsked: false))
        }
        #expect(error?.kind == .notFound)
    }
}
