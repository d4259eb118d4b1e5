import Foundation

/// Hand tremor and breathing: the small, smooth wandering of the image while the probe is
/// held still. Coherent motion keeps consecutive live frames different (frame analysis must
/// see a live image) while remaining cheap for a video encoder to predict.
struct ProbeMotion: Sendable {
    /// Amplitudes of the main elliptical sway, pixels.
    let amplitudeX: Double
    let amplitudeY: Double
    let frequency: Double
    let phases: (Double, Double, Double)

    /// - Parameters:
    ///   - framesPerSecond: the scanner's frame rate.
    ///   - grainX, grainY: speckle grain (PSF sigma) in pixels. How much two frames differ
    ///     depends on the shift measured in grains, so the sway is sized in grains per frame
    ///     and gives about the same frame-to-frame change at every resolution and rate.
    init(framesPerSecond: Double, grainX: Double, grainY: Double, seed: UInt64) {
        var rng = SplitMix64(seed: seed ^ 0x7E3A_0C1D)
        frequency = 1.1
        let w = 2 * Double.pi * frequency
        let grainsPerFrame = 0.45
        amplitudeX = grainsPerFrame * grainX * framesPerSecond / w
        amplitudeY = grainsPerFrame * grainY * framesPerSecond / w
        phases = (rng.next(in: 0, 2 * .pi), rng.next(in: 0, 2 * .pi), rng.next(in: 0, 2 * .pi))
    }

    /// Largest displacement either way, pixels, for sizing texture margins.
    var reach: Double { max(amplitudeX * 1.3, amplitudeY * 1.3 + 0.8) + 1 }

    /// Displacement of the tissue under the probe at content time t, in pixels (x right, y down).
    func offset(at t: Double) -> (dx: Double, dy: Double) {
        let w = 2 * Double.pi * frequency
        // An ellipse, so the image is never at rest, plus a faster wobble and slow breathing
        // so the path does not repeat.
        let dx = amplitudeX * (cos(w * t + phases.0) + 0.06 * sin(2.63 * w * t + phases.1))
        let dy = amplitudeY * sin(w * t + phases.0) + 0.8 * sin(2 * .pi * 0.23 * t + phases.2)
        return (dx, dy)
    }
}
