import Foundation

/// A spine view as a small anatomical model in millimetres: soft-tissue layers, ligament
/// bands and the topmost reflecting surface (bone or pleura) along the lateral axis.
///
/// Coordinates: `x` lateral (or cranio-caudal for sagittal scenes; cranial to the left), `z`
/// depth below the skin. Layers follow the probe face (for a fan: depth along the beam),
/// bones and bands are placed in Cartesian depth so needle targets map to exact pixels.
struct AnatomyScene: Sendable {
    /// What lies below a reflecting surface.
    enum SurfaceKind: UInt8, Sendable {
        case none = 0
        /// Clean acoustic shadow.
        case bone = 1
        /// Air behind the pleura: reverberation haze instead of tissue.
        case air = 2
    }

    enum Tissue: Sendable {
        case skin
        case fat
        /// Muscle; `fiberAngle` in radians when seen in long axis (sagittal), nil in short axis.
        case muscle(fiberAngle: Double?)
    }

    /// A smooth interface depth: base + slope*x + amplitude*sin(2πx/period + phase).
    struct Wave: Sendable {
        var base: Double
        var slope: Double = 0
        var amplitude: Double = 0
        var period: Double = 60
        var phase: Double = 0

        func depth(_ x: Double) -> Double {
            base + slope * x + amplitude * sin(2 * .pi * x / period + phase)
        }
    }

    /// A tissue layer starting at `top`, with a fascial line of brightness `fascia` on top.
    struct Layer: Sendable {
        var top: Wave
        var tissue: Tissue
        var fascia: Double
    }

    enum BandKind: Sendable {
        /// Fibrillar ligament or tendon: bright with parallel fibrils.
        case ligament
        /// A thin bright line (capsule, flavum, fascia).
        case line
        /// Anechoic fluid (joint recess, thecal sac).
        case fluid
    }

    /// A band of tissue along a polyline, replacing whatever lies beneath it.
    struct Band: Sendable {
        var points: [(x: Double, z: Double)]
        var halfThickness: Double
        var brightness: Double
        var kind: BandKind
        var minX: Double = 0, maxX: Double = 0, minZ: Double = 0, maxZ: Double = 0

        init(_ points: [(x: Double, z: Double)], halfThickness: Double, brightness: Double, kind: BandKind) {
            self.points = points
            self.halfThickness = halfThickness
            self.brightness = brightness
            self.kind = kind
            let margin = halfThickness * 3  // lines fade out over three half-thicknesses
            minX = (points.map(\.x).min() ?? 0) - margin
            maxX = (points.map(\.x).max() ?? 0) + margin
            minZ = (points.map(\.z).min() ?? 0) - margin
            maxZ = (points.map(\.z).max() ?? 0) + margin
        }
    }

    /// Lateral extent of the surface tables and their spacing.
    let xMin: Double
    let xMax: Double
    static let step = 0.05
    var layers: [Layer] = []
    var bands: [Band] = []
    /// Depth of the topmost reflector per table entry; .nan where the beam passes.
    private(set) var surfaceDepth: [Double]
    private(set) var surfaceStrength: [Double]
    private(set) var surfaceKind: [SurfaceKind]
    /// Depth below which plain deep tissue (no reflector) shows: echo falls off gently.
    var deepTissueDepth: Double = 1_000
    let noise: ValueNoise

    init(xMin: Double, xMax: Double, seed: UInt64) {
        self.xMin = xMin
        self.xMax = xMax
        let n = Int(((xMax - xMin) / AnatomyScene.step).rounded(.up)) + 1
        surfaceDepth = Array(repeating: .nan, count: n)
        surfaceStrength = Array(repeating: 0, count: n)
        surfaceKind = Array(repeating: .none, count: n)
        noise = ValueNoise(seed: seed)
    }

    // MARK: - Building

    /// Adds a reflector over [x0, x1]; where another one exists, the shallower wins, as the
    /// beam stops at the first bone it meets.
    /// `depth` may return nil where this reflector has a hole. `roughness` (mm) adds gentle
    /// irregularity: real cortex is never a perfect arc.
    mutating func addSurface(
        from x0: Double, to x1: Double, strength: Double, kind: SurfaceKind = .bone, roughness: Double = 0.5,
        depth: (Double) -> Double?
    ) {
        let i0 = max(0, Int(((x0 - xMin) / AnatomyScene.step).rounded(.up)))
        let i1 = min(surfaceDepth.count - 1, Int(((x1 - xMin) / AnatomyScene.step).rounded(.down)))
        guard i0 <= i1 else { return }
        for i in i0...i1 {
            let x = xMin + Double(i) * AnatomyScene.step
            guard let smooth = depth(x) else { continue }
            let z = smooth + roughness * (noise.fractal(x / 5.5, 311) - 0.5)
            if surfaceDepth[i].isNaN || z < surfaceDepth[i] {
                surfaceDepth[i] = z
                surfaceStrength[i] = strength
                surfaceKind[i] = kind
            }
        }
    }

    /// Adds the same reflector mirrored about x = 0 (transverse views are near-symmetric).
    mutating func addMirroredSurface(
        from x0: Double, to x1: Double, strength: Double, roughness: Double = 0.5, depth: @escaping (Double) -> Double?
    ) {
        addSurface(from: x0, to: x1, strength: strength, roughness: roughness, depth: depth)
        addSurface(from: -x1, to: -x0, strength: strength, roughness: roughness) { depth(-$0) }
    }

    // MARK: - Queries

    private func index(_ x: Double) -> Int? {
        let i = Int(((x - xMin) / AnatomyScene.step).rounded())
        return i >= 0 && i < surfaceDepth.count ? i : nil
    }

    /// The reflector under lateral position x: depth, strength, kind and surface slope dz/dx.
    func surface(at x: Double) -> (depth: Double, strength: Double, kind: SurfaceKind, slope: Double)? {
        guard let i = index(x), !surfaceDepth[i].isNaN else { return nil }
        let a = i > 0 && !surfaceDepth[i - 1].isNaN ? surfaceDepth[i - 1] : surfaceDepth[i]
        let b = i + 1 < surfaceDepth.count && !surfaceDepth[i + 1].isNaN ? surfaceDepth[i + 1] : surfaceDepth[i]
        return (surfaceDepth[i], surfaceStrength[i], surfaceKind[i], (b - a) / (2 * AnatomyScene.step))
    }
}
