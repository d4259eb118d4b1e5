import Anatomy
import Foundation

extension ClipSpec {
    /// Shortest freeze, and the least distance of a freeze from either end of the clip, s.
    public static let minimumFreezeSeconds = 0.5
    public static let freezeEdgeMarginSeconds = 0.5

    /// Checks that the spec makes a sample whose ground truth means what it says: freezes long
    /// enough and away from the ends, no freeze during a probe move or needle advance, needle
    /// angle and target sensible, levels single segments, tags stamped in tenths and naming
    /// catalogue structures.
    /// - Throws: `ClipSpecError` describing the first problem found.
    public func validate() throws {
        func fail(_ message: String) -> ClipSpecError { ClipSpecError(clip: name, message: message) }
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw fail("frame size \(width)x\(height) must be positive and even (4:2:0 video)")
        }
        guard framesPerSecond > 0, frameCount > 0 else { throw fail("framesPerSecond and frameCount must be positive") }
        guard ["matroska", "mp4"].contains(container) else { throw fail("container `\(container)` must be matroska or mp4") }
        guard ["mjpeg", "h264"].contains(codec) else { throw fail("codec `\(codec)` must be mjpeg or h264") }
        if let n = duplicateEvery, n < 2 { throw fail("duplicateEvery \(n) must be at least 2, or nil for none") }
        guard depthMillimetres > 0, apertureMillimetres > 0 else { throw fail("depth and aperture must be positive") }
        if probe == .curvilinear, !(10...120).contains(fieldOfViewDegrees) {
            throw fail("field of view \(fieldOfViewDegrees) degrees; a curvilinear probe opens 10-120")
        }
        try validateViews(fail)
        try validateFreezes(fail)
        try validateNeedle(fail)
        try validateTags(fail)
    }

    private func validateViews(_ fail: (String) -> ClipSpecError) throws {
        guard let first = views.first else { throw fail("needs at least one view") }
        guard first.arriveSeconds == 0, first.moveSeconds == 0 else { throw fail("the first view must arrive at 0 s with no move") }
        for (previous, view) in zip(views, views.dropFirst()) {
            guard view.moveSeconds > 0, view.moveStartSeconds >= previous.arriveSeconds else {
                throw fail("move to \(view.level) must last > 0 s and start after \(previous.level) is reached")
            }
        }
        for view in views where !ClipSpec.isSegment(view.level) {
            throw fail("view level `\(view.level)` is not a segment of two adjacent vertebrae such as L4-L5 or L5-S1")
        }
    }

    private func validateFreezes(_ fail: (String) -> ClipSpecError) throws {
        var lastEnd = -Double.infinity
        for freeze in freezes {
            let end = freeze.startSeconds + freeze.durationSeconds
            guard freeze.durationSeconds >= ClipSpec.minimumFreezeSeconds else {
                throw fail("freeze at \(freeze.startSeconds) s lasts \(freeze.durationSeconds) s; at least \(ClipSpec.minimumFreezeSeconds) s")
            }
            guard freeze.startSeconds >= ClipSpec.freezeEdgeMarginSeconds,
                  end <= durationSeconds - ClipSpec.freezeEdgeMarginSeconds else {
                throw fail("freeze \(freeze.startSeconds)-\(end) s must stay \(ClipSpec.freezeEdgeMarginSeconds) s from both ends")
            }
            guard freeze.startSeconds >= lastEnd else { throw fail("freezes must be in order and not overlap") }
            lastEnd = end
            for view in views.dropFirst() where freeze.startSeconds < view.arriveSeconds && end > view.moveStartSeconds {
                throw fail("freeze \(freeze.startSeconds)-\(end) s overlaps the probe move to \(view.level)")
            }
            if let needle, freeze.startSeconds < needle.reachSeconds, end > needle.startSeconds {
                throw fail("freeze \(freeze.startSeconds)-\(end) s overlaps the needle advance; freeze before or after it")
            }
        }
    }

    private func validateNeedle(_ fail: (String) -> ClipSpecError) throws {
        guard let needle else { return }
        guard (20...45).contains(needle.angleDegrees) else {
            throw fail("needle angle \(needle.angleDegrees) degrees; an in-plane approach uses 20-45")
        }
        guard needle.startSeconds < needle.reachSeconds, needle.reachSeconds <= durationSeconds, needle.pushes >= 1 else {
            throw fail("needle must start before it reaches the target, within the clip, in at least one push")
        }
        if let last = views.last, views.count > 1, needle.startSeconds < last.arriveSeconds {
            throw fail("the needle must start after the last probe move ends (\(last.arriveSeconds) s)")
        }
        let layout = ScreenLayout(spec: self)
        let target = layout.pixel(lateralMillimetres: needle.targetLateralMillimetres, depthMillimetres: needle.targetDepthMillimetres)
        guard layout.region.contains(target) else { throw fail("needle target lies outside the image") }
    }

    private func validateTags(_ fail: (String) -> ClipSpecError) throws {
        var last = -Double.infinity
        for tag in tags {
            guard tag.seconds > last, tag.seconds >= 0, tag.seconds < durationSeconds else {
                throw fail("tag at \(tag.seconds) s must be inside the clip and after the previous tag")
            }
            guard abs(tag.seconds * 10 - (tag.seconds * 10).rounded()) < 1e-9 else {
                throw fail("tag at \(tag.seconds) s: tag files stamp tenths of a second")
            }
            guard ClipSpec.isSegment(tag.level) else {
                throw fail("tag level `\(tag.level)` is not a segment of two adjacent vertebrae such as L4-L5 or L5-S1")
            }
            guard TargetStructure(id: tag.structure) != nil else {
                throw fail("tag structure `\(tag.structure)` is not a catalogue id such as facet-capsule")
            }
            last = tag.seconds
        }
    }

    /// `C5-C6`, `T7-T8`, `L5-S1`: two adjacent vertebrae of an ordinary spine (no T13 or L6).
    static func isSegment(_ span: VertebralSpan) -> Bool {
        span.kind == .segment && !span.upper.isTransitional && !span.lower.isTransitional
    }
}
