/// Imaging parameters of the simulated beamformer: resolution (speckle grain), depth gain
/// and log compression.
struct Acoustics: Sendable {
    /// Axial and lateral point-spread (Gaussian sigma), mm: higher frequency, finer speckle.
    var axialSigma: Double
    var lateralSigma: Double
    /// Imaging depth, mm: sets the residual attenuation slope the gain leaves.
    var depth: Double
    /// Focal depth, mm: a slightly brighter band, as real focusing gives.
    var focus: Double
    /// Displayed dynamic range, dB.
    var dynamicRange: Double = 47
    /// Echo amplitude shown as white; soft tissue of echogenicity e has amplitude sqrt(e).
    var whiteAmplitude: Double = 10
    /// Amplitude of a reflector of strength 1 (bone cortex met square on): far above any
    /// soft tissue, so bone surfaces saturate to white.
    var reflectorAmplitude: Double = 14

    /// A linear high-frequency MSK array (e.g. L12-4).
    static func linear(depth: Double, focus: Double) -> Acoustics {
        Acoustics(axialSigma: 0.14, lateralSigma: 0.34, depth: depth, focus: focus)
    }

    /// A curvilinear low-frequency abdominal/spine array (e.g. C5-2).
    static func curvilinear(depth: Double, focus: Double) -> Acoustics {
        Acoustics(axialSigma: 0.36, lateralSigma: 0.85, depth: depth, focus: focus)
    }
}

extension Acoustics {
    /// The acoustics of a clip's probe and depth.
    init(spec: ClipSpec) {
        self = spec.probe == .linear
            ? .linear(depth: spec.depthMillimetres, focus: spec.depthMillimetres * 0.55)
            : .curvilinear(depth: spec.depthMillimetres, focus: spec.depthMillimetres * 0.45)
    }
}
