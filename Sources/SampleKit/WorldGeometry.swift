import Foundation

/// How the samples of a `TissueWorld` sit in the scene: a linear probe's world is a plain
/// grid (lateral mm x depth mm); a curvilinear probe's is a polar grid (beam angle x radius),
/// so speckle stretches with depth and shadows run along the beams, as on a real fan image.
struct WorldGeometry: Sendable {
    let probe: ProbeKind
    /// Radius of the curvilinear array, mm; 0 for linear.
    let radius: Double
    /// Depth step per sample (and lateral step for linear), mm.
    let mmPerSample: Double
    /// Curvilinear: beam angle step per sample, radians; chosen so the lateral spacing at a
    /// mid-depth reference radius equals `mmPerSample`.
    let angleStep: Double
    /// Scene x (linear) or beam angle (curvilinear) at u = 0.
    let uOrigin: Double
    /// Depth along the beam at v = 0, mm (negative: a margin above the skin).
    let vOrigin: Double
    /// Curvilinear: scene x under the centre beam.
    let sceneOffset: Double

    /// Scene position of sample (u, v): lateral x, Cartesian depth z, beam depth d, and the
    /// beam direction (sin, cos of its angle to vertical).
    func point(u: Int, v: Int) -> (x: Double, z: Double, d: Double, sinA: Double, cosA: Double) {
        let d = vOrigin + Double(v) * mmPerSample
        switch probe {
        case .linear:
            return (uOrigin + Double(u) * mmPerSample, d, d, 0, 1)
        case .curvilinear:
            let angle = uOrigin + Double(u) * angleStep
            let s = sin(angle), c = cos(angle)
            let r = radius + d
            return (sceneOffset + r * s, r * c - radius, d, s, c)
        }
    }
}
