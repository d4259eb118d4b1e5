import Foundation

extension ScannerScreen {
    /// Draws the in-plane needle: a bright shaft from the entry point to the tip with a
    /// slightly brighter bevel, and below it, along the beams, a comet tail of fainter
    /// parallel reverberation lines. Clipped to the image region.
    func drawNeedle(entry: PixelPoint, tip: PixelPoint, canvas: borrowing RGBCanvas) {
        let length = entry.distance(to: tip)
        guard length > 0 else { return }
        let dx = (tip.x - entry.x) / length, dy = (tip.y - entry.y) / length
        // Reverberations repeat along the beam: straight down for a linear probe, along the
        // radius through the needle's middle for a fan.
        var bx = 0.0, by = 1.0
        if let fan = layout.region.fan {
            let mx = (entry.x + tip.x) / 2 - fan.apex.x, my = (entry.y + tip.y) / 2 - fan.apex.y
            let r = (mx * mx + my * my).squareRoot()
            bx = mx / r
            by = my / r
        }
        let det = dx * by - dy * bx
        guard abs(det) > 1e-6 else { return }
        let mm = layout.mmPerPixel
        // Shaft half-thickness: a 22-25 G needle, blurred more by a low-frequency probe.
        let sigma = max(1.3, (spec.probe == .linear ? 0.3 : 0.5) / mm)
        let spacing = max(2.6 * sigma, 0.75 / mm)
        let echoes = 6
        let tail = spacing * Double(echoes) + 3 * sigma
        // Steeper needles return less echo to the probe.
        let angle = atan2(abs(dy), abs(dx))
        let look = spec.needle?.look ?? .clear
        let brightness = 255 * (1 - 0.4 * sin(angle) * sin(angle)) * (look == .faint ? 0.42 : 1)

        let xs = [entry.x, tip.x, entry.x + bx * tail, tip.x + bx * tail]
        let ys = [entry.y, tip.y, entry.y + by * tail, tip.y + by * tail]
        let pad = 3 * sigma + 2
        let y0 = max(0, Int((ys.min()! - pad).rounded(.down))), y1 = min(spec.height - 1, Int((ys.max()! + pad).rounded(.up)))
        let x0 = max(0, Int((xs.min()! - pad).rounded(.down))), x1 = min(spec.width - 1, Int((xs.max()! + pad).rounded(.up)))
        guard y0 <= y1, x0 <= x1 else { return }
        let width = spec.width
        let out = canvas.pixels
        let seed = spec.seed

        for span in layout.spans where span.y >= y0 && span.y <= y1 {
            let lo = max(span.x0, x0), hi = min(span.x1 - 1, x1)
            guard lo <= hi else { continue }
            let py = Double(span.y) + 0.5 - entry.y
            for x in lo...hi {
                let px = Double(x) + 0.5 - entry.x
                // Pixel = entry + a * shaft direction + c * beam direction.
                let a = (px * by - py * bx) / det
                let c = (dx * py - dy * px) / det
                guard a > -sigma, a < length + sigma, c > -3 * sigma, c < tail else { continue }
                // Out of plane only the crossing shows, a dot; broken, pieces fading with depth.
                if look == .outOfPlane, a < length - 2.5 * sigma { continue }
                var fade = 1.0
                if look == .broken {
                    let piece = Int(a / (12 * sigma))
                    if piece > 0, SplitMix64.hash(seed, UInt64(piece), 0xB20CE7) % 3 == 0 { continue }
                    fade = 1 - 0.55 * max(0, a) / length
                }
                // Soft ends: the shaft fades in at the image edge and is rounded at the tip.
                let ends = min(1, (a + sigma) / (2 * sigma)) * min(1, (length + sigma - a) / (2 * sigma))
                // Echo strength wavers a little along the shaft (bevel, coating, angle).
                let along = Double(SplitMix64.hash(seed, UInt64(max(0, Int(a / 3))), 0x9EED1E) >> 40) / 16_777_216
                var value = 0.0
                for k in 0...echoes {
                    let d = c - Double(k) * spacing
                    guard abs(d) < 3 * sigma else { continue }
                    let strength = k == 0 ? 1.0 : 0.42 * pow(0.66, Double(k - 1))
                    value += strength * exp(-(d * d) / (sigma * sigma))
                }
                let bevel = max(0, 1 - abs(a - length + sigma) / (2.5 * sigma)) * exp(-(c * c) / (sigma * sigma)) * 0.35
                let n = min(255, brightness * (value * (0.85 + 0.15 * along) + bevel) * ends * fade)
                guard n > 0.5 else { continue }
                let o = (span.y * width + x) * 3
                let g = Double(out[o])
                // Screen blend: the needle brightens the tissue, never darkens it.
                let level = UInt8(min(255, (g + (255 - g) * n / 255).rounded()))
                out[o] = level
                out[o + 1] = level
                out[o + 2] = level
            }
        }
    }

    /// A straight bright fascial plane across most of the image, 3-9 degrees off
    /// horizontal at a third of its depth, with tissue (not shadow) below: long, thin and
    /// bright like a needle, but no needle.
    func drawFascia(canvas: borrowing RGBCanvas) {
        let bounds = layout.region.bounds
        var random = SplitMix64(seed: spec.seed ^ 0xFA5C_1A)
        let slope = tan(random.next(in: 3, 9) * .pi / 180) * (random.next() % 2 == 0 ? 1 : -1)
        let y0 = Double(bounds.y) + Double(bounds.height) * random.next(in: 0.28, 0.4)
        let x0 = Double(bounds.x) + Double(bounds.width) * 0.08, x1 = Double(bounds.x + bounds.width) - Double(bounds.width) * 0.08
        let sigma = max(1.2, 0.35 / layout.mmPerPixel)
        let width = spec.width
        let out = canvas.pixels
        for span in layout.spans {
            let lo = max(span.x0, Int(x0)), hi = min(span.x1 - 1, Int(x1))
            guard lo <= hi else { continue }
            for x in lo...hi {
                let centre = y0 + slope * (Double(x) - x0)
                let d = Double(span.y) + 0.5 - centre
                guard abs(d) < 3 * sigma else { continue }
                let n = 200 * exp(-(d * d) / (sigma * sigma))
                let o = (span.y * width + x) * 3
                let g = Double(out[o])
                let level = UInt8(min(255, (g + (255 - g) * n / 255).rounded()))
                out[o] = level
                out[o + 1] = level
                out[o + 2] = level
            }
        }
    }
}
