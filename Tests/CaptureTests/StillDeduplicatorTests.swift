import Capture
import Media
import Testing

@Suite("Snapping the same frozen picture twice stores one still")
struct StillDeduplicatorTests {
    @Test("two frames of one freeze are the same still", arguments: try SampleClip.all())
    func framesOfOneFreeze(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        try #require(!analysis.frozenPairs.isEmpty)
        for (early, late) in analysis.frozenPairs {
            var deduplicator = StillDeduplicator()
            let first = deduplicator.isDuplicate(try #require(analysis.pictures[early]))
            let second = deduplicator.isDuplicate(try #require(analysis.pictures[late]))
            #expect(!first)
            #expect(second, "\(clip.name) frames \(early), \(late)")
        }
    }

    @Test("frames from different views are different stills",
          arguments: try SampleClip.all().filter { $0.views.filter { !$0.moving }.count > 1 })
    func differentViews(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        let frames = analysis.viewFrames
        #expect(frames.count >= 2)
        for (a, b) in zip(frames, frames.dropFirst()) {
            var deduplicator = StillDeduplicator()
            let first = deduplicator.isDuplicate(try #require(analysis.pictures[a]))
            let second = deduplicator.isDuplicate(try #require(analysis.pictures[b]))
            #expect(!first)
            #expect(!second, "\(clip.name) frames \(a), \(b)")
        }
    }

    @Test("a burst of snaps during one freeze keeps the first; the next freeze at another level is kept")
    func burstThenNextLevel() async throws {
        let clip = try SampleClip.named("cervical-1280x720")
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        // Freezes 1 (C5-C6) and 2 (C6-C7) are at different levels.
        let pairs = analysis.frozenPairs
        var deduplicator = StillDeduplicator()
        let decisions = try [pairs[0].0, pairs[0].1, pairs[0].0, pairs[1].0, pairs[1].1].map {
            deduplicator.isDuplicate(try #require(analysis.pictures[$0]))
        }
        #expect(decisions == [false, true, true, false, true])
    }

    @Test("pictures of different sizes are never duplicates")
    func differentSizes() {
        var deduplicator = StillDeduplicator()
        let decisions = [(64, 48), (48, 64), (48, 64)].map {
            deduplicator.isDuplicate(Image(width: $0.0, height: $0.1, format: .gray8))
        }
        #expect(decisions == [false, false, true])
        #expect(deduplicator.difference(between: Image(width: 8, height: 8, format: .gray8),
                                        and: Image(width: 9, height: 8, format: .gray8)) == nil)
    }
}
