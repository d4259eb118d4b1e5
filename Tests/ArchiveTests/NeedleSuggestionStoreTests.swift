import Foundation
import Records
import Testing
@testable import Archive

/// The needle detector's results as the store keeps them, through `ArchiveStore`: beside
/// the still, replaced by a newer detector's, never a revision of the needle; and an
/// accepted suggestion is a revision that says so.
@Suite("needle suggestions beside the stills")
struct NeedleSuggestionStoreTests {
    func suggestion(_ detector: String = "needle-1", confidence: Double = 0.9) -> NeedleSuggestion {
        NeedleSuggestion(entry: ImagePoint(x: 1, y: 1.5), tip: ImagePoint(x: 6.25, y: 5), confidence: confidence, detector: detector)
    }

    @Test("a suggestion, or that none was found, is kept per still and replaced by the next detector's")
    func roundTrip() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let first = try await f.still(session, at: 4, site: "left L4-L5")
        let second = try await f.still(session, at: 9, site: nil)
        #expect(try await f.archive.needleSuggestion(ofStill: first.id) == nil)
        #expect(Set(try await f.archive.stillsWithoutNeedleSuggestion(detector: "needle-1", storedSince: nil, limit: 10))
            == [first.id, second.id])

        let at = ArchiveFixture.date(day: 2)
        try await f.archive.saveNeedleSuggestion(suggestion(), forStill: first.id, detector: "needle-1", at: at)
        try await f.archive.saveNeedleSuggestion(nil, forStill: second.id, detector: "needle-1", at: at)
        let kept = try #require(try await f.archive.needleSuggestion(ofStill: first.id))
        #expect(kept.suggestion == suggestion() && kept.detector == "needle-1" && kept.computedAt == at)
        let none = try #require(try await f.archive.needleSuggestion(ofStill: second.id))
        #expect(none.suggestion == nil && none.detector == "needle-1")
        // Both looked at by needle-1; a newer detector has looked at neither.
        #expect(try await f.archive.stillsWithoutNeedleSuggestion(detector: "needle-1", storedSince: nil, limit: 10).isEmpty)
        #expect(try await f.archive.stillsWithoutNeedleSuggestion(detector: "needle-2", storedSince: nil, limit: 10).count == 2)
        // Stored since a day after they were: none.
        #expect(try await f.archive.stillsWithoutNeedleSuggestion(detector: "needle-2", storedSince: ArchiveFixture.date(day: 1), limit: 10)
            .isEmpty)

        try await f.archive.saveNeedleSuggestion(suggestion("needle-2", confidence: 0.75), forStill: first.id, detector: "needle-2", at: at)
        #expect(try await f.archive.needleSuggestion(ofStill: first.id)?.suggestion?.confidence == 0.75)
        // A suggestion is never a revision of the needle.
        #expect(try await f.archive.annotationHistory(ofStill: first.id).revisions.isEmpty)

        await #expect { try await f.archive.saveNeedleSuggestion(nil, forStill: UUID(), detector: "needle-1", at: at) } throws: {
            ($0 as? ArchiveError)?.kind == .notFound
        }
    }

    @Test("an accepted suggestion is saved as the physician's revision, marked with the detector")
    func accepted() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let still = try await f.still(session, at: 4, site: "left L4-L5")
        let geometry = try NeedleGeometry(entry: ImagePoint(x: 1, y: 1.5), tip: ImagePoint(x: 6.25, y: 5), target: nil,
                                          millimetresPerPixel: nil)
        try await f.archive.saveAnnotation(geometry, onStill: still.id, by: "dr.lee", basedOn: nil, suggestedBy: "needle-1")
        try await f.archive.saveAnnotation(geometry, onStill: still.id, by: "dr.lee", basedOn: 1)
        let revisions = try await f.archive.annotationHistory(ofStill: still.id).revisions
        #expect(revisions.map(\.suggestedBy) == ["needle-1", nil])
        #expect(revisions.first?.author == "dr.lee")
    }
}
