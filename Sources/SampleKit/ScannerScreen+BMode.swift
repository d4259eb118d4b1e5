import Foundation

extension ScannerScreen {
    /// One texture contributing to the image: which world, the fixed-point (8 fractional
    /// bits) offset of its coordinates, and its weight out of 256.
    struct TextureLayer {
        var world: Int
        var du: Int32
        var dv: Int32
        var weight: Int32
    }

    /// The textures on screen at content time t: one while the probe rests or slides along
    /// one texture, two cross-fading while it moves between textures.
    func textureLayers(at t: Double) -> (layers: [TextureLayer], gain: Int32) {
        let state = timeline.viewState(at: t)
        let shift = motion.offset(at: t)
        let dv = Int32((-shift.dy * 256).rounded())
        func fixed(_ u: Double) -> Int32 { Int32(((u - shift.dx) * 256).rounded()) }
        let a = plan.placements[state.from]
        guard let to = state.to else {
            return ([TextureLayer(world: a.world, du: fixed(a.uCenter), dv: dv, weight: 256)], 256)
        }
        let b = plan.placements[to]
        let p = min(1, max(0, state.progress))
        let eased = p * p * (3 - 2 * p)
        if a.world == b.world {
            let u = a.uCenter + (b.uCenter - a.uCenter) * eased
            return ([TextureLayer(world: a.world, du: fixed(u), dv: dv, weight: 256)], 256)
        }
        let q = min(1, max(0, (p - 0.2) / 0.6))
        let wb = Int32((q * q * (3 - 2 * q) * 256).rounded())
        // Contact and angle change mid-move: the image dims a little.
        let gain = Int32(((1 - 0.3 * sin(.pi * p)) * 256).rounded())
        return ([
            TextureLayer(world: a.world, du: fixed(a.uCenter + plan.slide * eased), dv: dv, weight: 256 - wb),
            TextureLayer(world: b.world, du: fixed(b.uCenter - plan.slide * (1 - eased)), dv: dv, weight: wb),
        ], gain)
    }

    /// Resamples the tissue texture(s) into the image region and adds a little fresh noise.
    func renderBMode(time t: Double, imagingSource: Int, canvas: borrowing RGBCanvas) {
        let (layers, gain) = textureLayers(at: t)
        let hash = SplitMix64.hash(spec.seed, UInt64(imagingSource), 0x4015E)
        let tile = ScannerScreen.noiseTileSize
        let ox = Int(hash % UInt64(tile)), oy = Int((hash >> 16) % UInt64(tile))
        let curvilinear = spec.probe == .curvilinear
        let linearU = Int32(((0.5 - layout.centerX) * 256).rounded())
        let margin = plan.margin
        let skinRow = Int(layout.skinY)
        let width = spec.width
        let out = canvas.pixels

        let first = layers[0]
        let second = layers.count > 1 ? layers[1] : layers[0]
        let worldA = plan.worlds[first.world], worldB = plan.worlds[second.world]
        worldA.pixels.withUnsafeBufferPointer { pa in
            worldB.pixels.withUnsafeBufferPointer { pb in
                noiseTile.withUnsafeBufferPointer { noise in
                    mapU.withUnsafeBufferPointer { mu in
                        mapV.withUnsafeBufferPointer { mv in
                            let a = Sampler(pixels: pa, width: worldA.width, height: worldA.height)
                            let b = Sampler(pixels: pb, width: worldB.width, height: worldB.height)
                            let blend = layers.count > 1
                            var m = 0
                            for span in layout.spans {
                                let rowV = Int32((span.y - skinRow + margin) * 256)
                                let noiseRow = ((span.y + oy) % tile) * tile
                                var o = (span.y * width + span.x0) * 3
                                for x in span.x0..<span.x1 {
                                    let u: Int32, v: Int32
                                    if curvilinear {
                                        u = mu[m]
                                        v = mv[m]
                                        m += 1
                                    } else {
                                        u = Int32(x * 256) + linearU
                                        v = rowV
                                    }
                                    var g = a.sample(u + first.du, v + first.dv)
                                    if blend {
                                        let h = b.sample(u + second.du, v + second.dv)
                                        g = (((g * first.weight + h * second.weight) >> 8) * gain) >> 8
                                    }
                                    // Fresh grain scaled by brightness: dark shadows stay quiet.
                                    let n = Int32(noise[noiseRow + (x + ox) % tile])
                                    g += (n * (g + 24)) >> 7
                                    let level = UInt8(clamping: g)
                                    out[o] = level
                                    out[o + 1] = level
                                    out[o + 2] = level
                                    o += 3
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Fixed-point texture coordinates for every pixel of a fan, relative to the view centre.
    static func fanMap(layout: ScreenLayout, plan: WorldPlan, spec: ClipSpec) -> ([Int32], [Int32]) {
        guard spec.probe == .curvilinear, let fan = layout.region.fan, let world = plan.worlds.first else { return ([], []) }
        let step = world.geometry.angleStep
        let margin = Double(plan.margin)
        var us: [Int32] = [], vs: [Int32] = []
        let total = layout.spans.reduce(0) { $0 + $1.x1 - $1.x0 }
        us.reserveCapacity(total)
        vs.reserveCapacity(total)
        for span in layout.spans {
            let dy = Double(span.y) + 0.5 - fan.apex.y
            for x in span.x0..<span.x1 {
                let dx = Double(x) + 0.5 - fan.apex.x
                let r = (dx * dx + dy * dy).squareRoot()
                us.append(Int32((atan2(dx, dy) / step * 256).rounded()))
                vs.append(Int32(((r - fan.innerRadius + margin) * 256).rounded()))
            }
        }
        return (us, vs)
    }
}

/// Bilinear lookup in a grey texture at fixed-point coordinates (8 fractional bits).
struct Sampler {
    let pixels: UnsafeBufferPointer<UInt8>
    let width: Int
    let maxU: Int32
    let maxV: Int32

    init(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) {
        self.pixels = pixels
        self.width = width
        maxU = Int32(width - 2)
        maxV = Int32(height - 2)
    }

    @inline(__always)
    func sample(_ u: Int32, _ v: Int32) -> Int32 {
        // Clamped so a texture too small by a pixel can never read out of bounds.
        let iu = min(max(u >> 8, 0), maxU), iv = min(max(v >> 8, 0), maxV)
        let fu = u & 255, fv = v & 255
        let i = Int(iv) * width + Int(iu)
        let p00 = Int32(pixels[i]), p10 = Int32(pixels[i + 1])
        let p01 = Int32(pixels[i + width]), p11 = Int32(pixels[i + width + 1])
        let top = p00 * 256 + (p10 - p00) * fu
        let bottom = p01 * 256 + (p11 - p01) * fu
        return (top * 256 + (bottom - top) * fv + 32768) >> 16
    }
}
