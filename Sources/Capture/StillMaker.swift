import Archive
import Foundation
import Media
import Records

/// Turns a frame chosen as a still (a freeze, a snap) into a PNG ready to store:
/// gray when the screen has no colour, RGB otherwise, and nothing when it repeats
/// the still before it. Shared by import and live capture; one per analysis thread.
struct StillMaker {
    private var deduplicator = StillDeduplicator()

    /// The still, or nil when it is a near-duplicate of the previous one.
    mutating func make(_ frame: Frame, index: Int, time: Double, reason: Still.Reason, sessionID: UUID) throws -> StillFile? {
        // A converter of its own for each still: a kept one would hold its full-size scratch
        // picture (6 MB at 1080p RGB) between stills, which come a few a minute.
        let image = try PixelConverter().image(from: frame, format: frame.carriesColor() ? .rgb24 : .gray8)
        if deduplicator.isDuplicate(LumaGrid(image)) { return nil }
        let png = try PNG.encode(image, options: .fast)
        let draft = StillDraft(sessionID: sessionID, time: time, sourceFrame: index, tag: nil, reason: reason,
                               width: image.width, height: image.height, colour: image.format == .gray8 ? .gray : .rgb)
        return StillFile(draft: draft, png: png)
    }
}
