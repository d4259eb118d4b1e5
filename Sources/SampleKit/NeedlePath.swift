import Foundation

/// The straight path of the in-plane needle on screen: from where it crosses the image
/// boundary to the target, at the spec's angle. Shared by renderer and ground truth.
struct NeedlePath: Sendable {
    let spec: NeedleSpec
    let entry: PixelPoint
    let target: PixelPoint

    /// Nil when the spec has no needle.
    init?(spec: ClipSpec, layout: ScreenLayout) {
        guard let needle = spec.needle else { return nil }
        self.spec = needle
        // Rounded as ground truth reports it, so drawing and truth use the very same numbers.
        let target = layout.pixel(lateralMillimetres: needle.targetLateralMillimetres,
                                  depthMillimetres: needle.targetDepthMillimetres).rounded
        self.target = target
        // Walk back from the target, up and out towards the entry side, to the image edge.
        let angle = needle.angleDegrees * .pi / 180
        let dx = needle.entrySide == .left ? -cos(angle) : cos(angle)
        let dy = -sin(angle)
        let region = layout.region
        func at(_ s: Double) -> PixelPoint { PixelPoint(x: target.x + dx * s, y: target.y + dy * s) }
        var inside = 0.0, outside = 0.25
        while region.contains(at(outside)), outside < Double(layout.width + layout.height) {
            inside = outside
            outside += 0.25
        }
        for _ in 0..<30 {
            let mid = (inside + outside) / 2
            if region.contains(at(mid)) { inside = mid } else { outside = mid }
        }
        // On the boundary, rounded to 0.01 pixel and nudged inwards until inside.
        var s = inside
        var point = at(s).rounded
        while !region.contains(point), s > 0 {
            s = max(0, s - 0.01)
            point = at(s).rounded
        }
        entry = point
    }

    /// Tip at content time t, or nil while no shaft is visible yet.
    func tip(at t: Double) -> PixelPoint? {
        let p = spec.progress(at: t)
        let length = p * entry.distance(to: target)
        guard length >= 1.5 else { return nil }
        return PixelPoint(x: entry.x + (target.x - entry.x) * p, y: entry.y + (target.y - entry.y) * p)
    }
}
