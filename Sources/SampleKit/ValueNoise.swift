import Foundation

/// Smooth lattice noise in [0, 1], keyed by a seed.
///
/// Tissue textures (fat septa, muscle fibres, ligament fibrils) are built from it by
/// stretching the coordinates, so the same code gives granular or fibrillar patterns.
struct ValueNoise: Sendable {
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// Noise at a point; one lattice cell per unit.
    func value(_ x: Double, _ y: Double) -> Double {
        let fx = x.rounded(.down)
        let fy = y.rounded(.down)
        let ix = Int64(fx)
        let iy = Int64(fy)
        let tx = smooth(x - fx)
        let ty = smooth(y - fy)
        let v00 = lattice(ix, iy)
        let v10 = lattice(ix + 1, iy)
        let v01 = lattice(ix, iy + 1)
        let v11 = lattice(ix + 1, iy + 1)
        let top = v00 + (v10 - v00) * tx
        let bottom = v01 + (v11 - v01) * tx
        return top + (bottom - top) * ty
    }

    /// Two octaves, still in [0, 1]: enough irregularity for tissue without the cost of more.
    func fractal(_ x: Double, _ y: Double) -> Double {
        (value(x, y) * 2 + value(x * 2.03 + 17.1, y * 2.03 - 5.3)) / 3
    }

    /// 1 on the 0.5 contour of the noise, falling to 0 at `width` away: thin wavy lines.
    func ridge(_ x: Double, _ y: Double, width: Double) -> Double {
        let d = abs(value(x, y) - 0.5) / width
        return d >= 1 ? 0 : (1 - d) * (1 - d)
    }

    private func lattice(_ x: Int64, _ y: Int64) -> Double {
        let h = SplitMix64.hash(seed, UInt64(bitPattern: x), UInt64(bitPattern: y))
        return Double(h >> 11) * 0x1.0p-53
    }

    private func smooth(_ t: Double) -> Double {
        t * t * (3 - 2 * t)
    }
}
