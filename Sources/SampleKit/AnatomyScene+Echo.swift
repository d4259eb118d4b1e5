import Foundation

extension AnatomyScene {
    /// Backscatter strength (echogenicity) of the soft tissue at a point, before speckle,
    /// shadowing and gain. `d` is depth along the beam, used for the layers under the probe.
    /// 1 is a bright ligament; muscle and fat sit near 0.1-0.3 with brighter septa.
    func echogenicity(x: Double, z: Double, d: Double) -> Double {
        guard d >= 0, !layers.isEmpty else { return 0 }
        var current = layers[0]
        for layer in layers.dropFirst() where d >= layer.top.depth(x) {
            current = layer
        }
        var e = texture(current.tissue, x: x, d: d)
        for layer in layers.dropFirst() where layer.fascia > 0 {
            let dz = d - layer.top.depth(x)
            if abs(dz) < 1.5 {
                // Fascia is fibrous too: its brightness wavers along its length.
                e += layer.fascia * exp(-(dz * dz) / 0.09) * (0.55 + 0.9 * noise.value(x / 2.2, layer.top.base * 3))
            }
        }
        if d > deepTissueDepth {
            e *= 0.55
        }
        for band in bands where x >= band.minX && x <= band.maxX && z >= band.minZ && z <= band.maxZ {
            e = apply(band, to: e, x: x, z: z)
        }
        return e
    }

    private func texture(_ tissue: Tissue, x: Double, d: Double) -> Double {
        switch tissue {
        case .skin:
            // Epidermis-dermis: bright, finely textured.
            return 1.3 * (0.6 + 0.8 * noise.value(x / 0.9, d / 0.35 + 40))
        case .fat:
            // Hypoechoic fat lobules divided by thin bright, roughly skin-parallel septa.
            let warp = 1.2 * noise.value(x / 14 + 3, d / 5)
            let septa = noise.ridge(x / 6.5 + warp, d / 1.9 + 11, width: 0.07)
            return 0.022 + 0.9 * septa + 0.03 * noise.value(x / 1.2, d / 1.2)
        case .muscle(let angle?):
            // Long axis: hypoechoic fascicles between bright perimysium lines (the "feather").
            let c = cos(angle), s = sin(angle)
            let along = x * c + d * s, across = -x * s + d * c
            let warp = 0.8 * noise.value(along / 25, across / 4 + 70)
            let fibres = noise.ridge(along / 16, across / 0.85 + warp, width: 0.07)
            let fine = noise.ridge(along / 7 + 50, across / 0.4, width: 0.06)
            return 0.06 + 0.07 * noise.fractal(along / 2, across / 1.2 + 20) + 0.75 * fibres + 0.3 * fine
        case .muscle(nil):
            // Short axis: "starry night" of bright fascicle septa in dark muscle.
            let septa = noise.ridge(x / 3.4 + 31, d / 3.0, width: 0.05)
            let stars = max(0, noise.value(x / 0.7 + 7, d / 0.6) - 0.62) * 2.2
            return 0.06 + 0.07 * noise.fractal(x / 2, d / 2 + 20) + 0.3 * septa + stars
        }
    }

    private func apply(_ band: Band, to e: Double, x: Double, z: Double) -> Double {
        // Nearest point on the polyline: arc length `s` along it and signed offset `t`.
        var best = Double.infinity, bestS = 0.0, bestT = 0.0, run = 0.0
        for k in 0..<(band.points.count - 1) {
            let a = band.points[k], b = band.points[k + 1]
            let dx = b.x - a.x, dz = b.z - a.z
            let length = (dx * dx + dz * dz).squareRoot()
            guard length > 0 else { continue }
            let ux = dx / length, uz = dz / length
            let along = min(length, max(0, (x - a.x) * ux + (z - a.z) * uz))
            let px = a.x + ux * along, pz = a.z + uz * along
            let dist2 = (x - px) * (x - px) + (z - pz) * (z - pz)
            if dist2 < best {
                best = dist2
                bestS = run + along
                bestT = -(x - a.x) * uz + (z - a.z) * ux
            }
            run += length
        }
        let distance = best.squareRoot()
        let h = band.halfThickness
        switch band.kind {
        case .ligament:
            guard distance < h * 1.3 else { return e }
            let w = smoothStep(h * 1.3, h * 0.7, distance)
            let fibrils = noise.ridge(bestS / 5, bestT / 0.22 + 100, width: 0.14)
            let value = band.brightness * (0.35 + 1.2 * fibrils)
            return e + (value - e) * w
        case .line:
            guard distance < h * 3 else { return e }
            let waver = 0.65 + 0.7 * noise.value(bestS / 2.0, 9)
            return e + band.brightness * waver * exp(-(distance * distance) / (h * h))
        case .fluid:
            guard distance < h * 1.3 else { return e }
            let w = smoothStep(h * 1.3, h * 0.6, distance)
            return e + (0.004 - e) * w
        }
    }

    private func smoothStep(_ edge0: Double, _ edge1: Double, _ value: Double) -> Double {
        let t = min(1, max(0, (value - edge0) / (edge1 - edge0)))
        return t * t * (3 - 2 * t)
    }
}
