import Archive
import Foundation
import Media
import NeedleDetection
import Records

/// Looks for the needle on stills once they are stored, with the frame of the recording
/// a moment before each (the needle's motion), and keeps what it finds beside them:
/// never on the capture's path (its own task, pictures made on the worker pool below
/// the recorder's priority), never a revision of the needle by itself.
public struct NeedleSuggester: Sendable {
    public let archive: any ArchiveStore
    public let detector: NeedleDetector
    let pool: WorkerPool

    public init(archive: any ArchiveStore, detector: NeedleDetector = NeedleDetector(), pool: WorkerPool = .pictures) {
        self.archive = archive
        self.detector = detector
        self.pool = pool
    }

    /// Looks at one still now and stores the result (found or not).
    /// - Throws: `ArchiveError(.notFound)` for an unknown still; the archive's errors
    ///   reading its PNG or storing the result.
    @discardableResult
    public func suggest(still id: UUID) async throws -> StillNeedleSuggestion {
        guard let still = try await archive.still(id) else { throw ArchiveError(.notFound, "no still \(id.uuidString.lowercased())") }
        let png = try archive.png(of: still)
        let detector = self.detector
        let recording = try await recordingPath(of: still)
        let suggestion = try await pool.run {
            let image = try PNG.decode(png).image
            // The recording a moment before, when there is one to read (a recording still
            // being written may not be): the needle's motion. Without it, the still alone.
            let earlier = recording.flatMap { path in
                still.time >= Self.lookBack ? try? RecordedFrame.image(in: path, at: still.time - Self.lookBack, format: .gray8) : nil
            }
            return detector.suggest(image, earlier: earlier)
        }
        let now = Date()
        try await archive.saveNeedleSuggestion(suggestion, forStill: id, detector: NeedleDetector.version, at: now)
        return StillNeedleSuggestion(stillID: id, detector: NeedleDetector.version, computedAt: now, suggestion: suggestion)
    }

    /// How long before a still the frame it is compared with was shown: long enough for an
    /// advancing needle to have moved a few pixels, short enough for the probe to have held.
    static let lookBack = 0.3

    /// The recording of the still's session, in the archive's folder; nil when it has none.
    private func recordingPath(of still: Still) async throws -> String? {
        guard let recording = try await archive.session(still.sessionID)?.recording else { return nil }
        return archive.location.root.appendingPathComponent(recording.value).path
    }

    /// Every still stored since `since` (every still when nil) that this detector has not
    /// looked at yet, oldest first. Returns how many it looked at.
    @discardableResult
    public func catchUp(storedSince since: Date?) async throws -> Int {
        var unreadable: Set<UUID> = []
        return try await catchUp(storedSince: since, skipping: &unreadable)
    }

    /// The same, leaving out and adding to `unreadable`: stills whose PNG could not be read
    /// (`verify` reports those), so a watch does not try them again every round.
    func catchUp(storedSince since: Date?, skipping unreadable: inout Set<UUID>,
                 pausing paused: @Sendable () async -> Bool = { false }) async throws -> Int {
        var done = 0
        while true {
            let waiting = try await archive.stillsWithoutNeedleSuggestion(detector: NeedleDetector.version, storedSince: since,
                                                                         limit: 16 + unreadable.count)
                .filter { !unreadable.contains($0) }
            guard !waiting.isEmpty else { return done }
            for id in waiting.prefix(16) {
                try Task.checkCancellation()
                if await paused() { return done }
                do {
                    try await suggest(still: id)
                    done += 1
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    unreadable.insert(id)
                }
            }
        }
    }

    /// The daemon's look at new stills: every `interval`, the stills stored since a day
    /// before it started (a command-line import just before is included; older archives are
    /// caught up by `needlelog needle suggest --missing`), except while `paused` says so:
    /// the daemon pauses while a session records, so the recorder keeps its memory and
    /// cores to itself (issue 21's budget) and the stills of a session are looked at as it
    /// ends, before the physician reviews them. Ends when its task is cancelled.
    public func watch(interval: Duration = .seconds(2), since start: Date = Date(),
                      paused: @escaping @Sendable () async -> Bool = { false }) async {
        let since = start.addingTimeInterval(-24 * 3600)
        var unreadable: Set<UUID> = []
        while !Task.isCancelled {
            if await !paused() {
                _ = try? await catchUp(storedSince: since, skipping: &unreadable, pausing: paused)
            }
            try? await Task.sleep(for: interval)
        }
    }
}
