import Foundation

/// One scene rendered once, at init, into a grey-level texture in beam coordinates: tissue
/// echo with speckle, bright bone surfaces with their acoustic shadows, depth gain and log
/// compression all baked in. Frames then only resample it (probe tremor, probe moves).
struct TissueWorld: Sendable {
    let width: Int
    let height: Int
    let geometry: WorldGeometry
    /// Row-major grey levels, `width * height`.
    let pixels: [UInt8]

    init(scene: AnatomyScene, geometry: WorldGeometry, width: Int, height: Int, acoustics: Acoustics, seed: UInt64) {
        self.width = width
        self.height = height
        self.geometry = geometry
        let count = width * height
        var amplitude = [Float](repeating: 0, count: count)
        var specular = [Float](repeating: 0, count: count)
        TissueWorld.traceBeams(scene: scene, geometry: geometry, width: width, height: height, acoustics: acoustics,
                               amplitude: &amplitude, specular: &specular)
        pixels = TissueWorld.speckle(amplitude: amplitude, specular: specular, width: width, height: height,
                                     geometry: geometry, acoustics: acoustics, seed: seed)
    }

    // MARK: - Beams

    /// Walks every beam from the skin down: tissue backscatter until the first reflector,
    /// a bright rim there (brightest where the surface faces the beam), shadow below.
    private static func traceBeams(
        scene: AnatomyScene, geometry: WorldGeometry, width: Int, height: Int, acoustics: Acoustics,
        amplitude: inout [Float], specular: inout [Float]
    ) {
        // The cortical echo: a sharp leading edge (the pulse's front) and a short decay into
        // the bone (the pulse's length), both set by the axial resolution.
        let lead = acoustics.axialSigma, decay = acoustics.axialSigma * 0.65
        func cortex(_ dz: Double) -> Double {
            dz < 0 ? exp(-(dz * dz) / (2 * lead * lead)) : exp(-dz / decay)
        }
        let texture = ValueNoise(seed: scene.noise.seed ^ 0xB0E)
        let air = ValueNoise(seed: scene.noise.seed ^ 0xA1A1)
        amplitude.withUnsafeMutableBufferPointer { amp in
            specular.withUnsafeMutableBufferPointer { spec in
                for u in 0..<width {
                    var below: AnatomyScene.SurfaceKind = .none
                    var hitDepth = 0.0, hitStrength = 0.0
                    for v in 0..<height {
                        let p = geometry.point(u: u, v: v)
                        let i = v * width + u
                        guard p.d >= 0 else { continue }
                        let gain = depthGain(p.d, acoustics)
                        var mirror = 0.0
                        if below == .none, let s = scene.surface(at: p.x), p.z >= s.depth - 3 * lead {
                            // How squarely the surface faces the beam: specular bone is only
                            // bright where the beam meets it near perpendicular.
                            let facing = abs(p.cosA - s.slope * p.sinA) / (1 + s.slope * s.slope).squareRoot()
                            let f2 = facing * facing
                            // Real cortex is not a perfect mirror: its echo wavers along the surface.
                            let waver = 0.6 + 0.8 * texture.value(p.x / 1.6, 3)
                            let strength = acoustics.reflectorAmplitude * s.strength * waver * (0.03 + 0.97 * f2 * f2 * f2)
                            let dz = p.z - s.depth
                            mirror = strength * cortex(dz)
                            if dz >= 0 {
                                below = s.kind
                                hitDepth = s.depth
                                hitStrength = strength
                            }
                        } else if below != .none {
                            let dz = p.z - hitDepth
                            if dz < 8 * decay { mirror = hitStrength * cortex(dz) }
                        }
                        var echo: Double
                        switch below {
                        case .none:
                            echo = scene.echogenicity(x: p.x, z: p.z, d: p.d)
                        case .bone:
                            // A clean shadow keeps a trace of noise (side lobes, electronic noise).
                            echo = 0.0015
                        case .air:
                            // Behind the pleura: reverberation haze with faint horizontal banding.
                            let band = 0.5 + 0.5 * sin(2 * .pi * (p.z - hitDepth) / 2.6)
                            echo = 0.012 + 0.05 * air.value(p.x / 5, p.z / 1.4) * band
                        }
                        amp[i] = Float(echo.squareRoot() * gain)
                        spec[i] = Float(mirror * gain)
                    }
                }
            }
        }
    }

    /// What the time-gain compensation leaves of attenuation: brightest near the skin,
    /// slightly brighter at the focus, fading at depth.
    static func depthGain(_ d: Double, _ acoustics: Acoustics) -> Double {
        let fall = exp(-d / (1.7 * acoustics.depth))
        let f = (d - acoustics.focus) / (0.22 * acoustics.depth)
        return fall * (1 + 0.22 * exp(-f * f))
    }

    // MARK: - Speckle

    /// Random complex scatterers weighted by the amplitude map, blurred by the point-spread
    /// function: their envelope is Rayleigh-distributed speckle with the grain of the PSF.
    /// The specular part is added, then everything is log-compressed to grey levels.
    private static func speckle(
        amplitude: [Float], specular: [Float], width: Int, height: Int, geometry: WorldGeometry,
        acoustics: Acoustics, seed: UInt64
    ) -> [UInt8] {
        let count = width * height
        let lateral = GaussianKernel(sigma: acoustics.lateralSigma / geometry.mmPerSample)
        let axial = GaussianKernel(sigma: acoustics.axialSigma / geometry.mmPerSample)
        var rng = SplitMix64(seed: seed)
        // Three independent speckle patterns averaged in power, as spatial compounding does on
        // MSK presets: the grain stays, the black nulls of raw speckle mostly fill in.
        var power = [Float](repeating: 0, count: count)
        for _ in 0..<3 {
            var re = [Float](repeating: 0, count: count)
            var im = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let bits = rng.next()
                let a = amplitude[i]
                // Uniform phasor components: the PSF sums enough of them to make them Gaussian.
                re[i] = a * (Float(bits & 0xFFFF_FFFF) * 0x1p-31 - 1)
                im[i] = a * (Float(bits >> 32) * 0x1p-31 - 1)
            }
            lateral.filterRows(&re, width: width, height: height)
            lateral.filterRows(&im, width: width, height: height)
            axial.filterColumns(&re, width: width, height: height)
            axial.filterColumns(&im, width: width, height: height)
            for i in 0..<count { power[i] += (re[i] * re[i] + im[i] * im[i]) / 3 }
        }

        // Uniform components have variance 1/3 each; scale so a unit amplitude gives unit RMS.
        let norm = Float((3.0 / 2.0).squareRoot())
        let white = Float(acoustics.whiteAmplitude)
        let range = Float(acoustics.dynamicRange)
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            let envelope = power[i].squareRoot() * norm + specular[i]
            guard envelope > 0 else { continue }
            let db = 20 * log10(envelope / white)
            let level = 255 * (db + range) / range
            out[i] = UInt8(max(0, min(255, level.rounded())))
        }
        return out
    }
}
