import Foundation

/// The stretch of a candidate line the shaft occupies, in the working picture: the run of
/// line pixels that most outweighs its gaps. A shaft is continuous or broken by short
/// gaps; letters of on-screen text or speckle that happen to line up are mostly gaps.
struct ShaftRun {
    let line: LineCandidates.Line
    /// Positions along the line (working pixels from the line's foot), start < end.
    let start: Double
    let end: Double
    /// Of the positions in the run, the share on a line pixel.
    let coverage: Double
    /// Summed capped response over the run, less the gaps' penalty.
    let score: Double

    var length: Double { end - start }

    /// The working picture's grey level below the run over that above it (medians, 4-12
    /// working pixels away): near 0 under a bone surface's shadow, near 1 or above under a
    /// shaft's reverberations. Cheap, so bone is set aside before the full-size fit.
    ///
    /// A run with black straight above nearly all of it (the skin line under a curvilinear
    /// probe, which no needle crosses) counts as shadowed too.
    func shadow(in map: RidgeMap) -> Double {
        var above: [Float] = [], below: [Float] = []
        let normal = line.direction.x >= 0 ? (x: -line.direction.y, y: line.direction.x) : (x: line.direction.y, y: -line.direction.x)
        var s = start
        while s <= end {
            let p = point(at: s)
            for (offset, into) in [(-1.0, 0), (1.0, 1)] {
                var sum: Float = 0
                // Past a bone surface's own thickness, under a shaft's first echoes.
                for d in [4.0, 8.0, 12.0] {
                    let x = Int((p.x + normal.x * d * offset).rounded()), y = Int((p.y + normal.y * d * offset).rounded())
                    sum += map.gray(atX: x, y: y)
                }
                if into == 0 { above.append(sum / 3) } else { below.append(sum / 3) }
            }
            s += 2
        }
        guard !above.isEmpty else { return 1 }
        if overheadBlack(in: map) > 0.8 { return 0 }
        above.sort()
        below.sort()
        return Double(below[below.count / 2] / max(above[above.count / 2], 8))
    }

    /// Each position on a line pixel counts its capped response (1-3), each one off counts
    /// `gapCost`: a run stays worth extending across a gap only if more shaft follows.
    static let gapCost = 1.5

    init?(_ line: LineCandidates.Line, map: RidgeMap, threshold: Float) {
        // The foot of the line (closest point to the origin) and the stretch inside the picture.
        let foot = (x: line.normal.x * line.distance, y: line.normal.y * line.distance)
        var low = -Double(map.width + map.height), high = -low
        for (origin, step, size) in [(foot.x, line.direction.x, map.width), (foot.y, line.direction.y, map.height)] where abs(step) > 1e-9 {
            let a = (0 - origin) / step, b = (Double(size - 1) - origin) / step
            low = max(low, min(a, b))
            high = min(high, max(a, b))
        }
        guard high - low > 4 else { return nil }
        var best = (score: 0.0, start: 0.0, end: 0.0)
        var running = 0.0, runStart = low
        var s = low
        var samples: [(s: Double, on: Bool)] = []
        let cap = 3 * threshold
        while s <= high {
            let x = foot.x + line.direction.x * s, y = foot.y + line.direction.y * s
            // The line may pass a pixel off the shaft's centre: the best of the pixels across it.
            var response: Float = 0
            for o in -1...1 {
                let px = Int((x + line.normal.x * Double(o)).rounded()), py = Int((y + line.normal.y * Double(o)).rounded())
                response = max(response, map.ridge(atX: px, y: py))
            }
            let on = response >= threshold
            samples.append((s, on))
            let value = on ? Double(min(response, cap) / threshold) : -Self.gapCost
            if running <= 0 {
                running = value
                runStart = s
            } else {
                running += value
            }
            if running > best.score { best = (running, runStart, s) }
            s += 1
        }
        guard best.score > 0 else { return nil }
        let inside = samples.filter { $0.s >= best.start && $0.s <= best.end }
        self.line = line
        start = best.start
        end = best.end
        coverage = Double(inside.filter(\.on).count) / Double(max(1, inside.count))
        score = best.score
    }

    /// The share of the run with black 6 working pixels straight above it.
    private func overheadBlack(in map: RidgeMap) -> Double {
        var black = 0, all = 0
        var s = start
        while s <= end {
            let p = point(at: s)
            if map.gray(atX: Int(p.x.rounded()), y: Int(p.y.rounded()) - 6) < 4 { black += 1 }
            all += 1
            s += 2
        }
        return Double(black) / Double(max(1, all))
    }

    /// Whether `other` covers much the same stretch of picture: its middle within 4 working
    /// pixels of this run's line and within this run's ends.
    func overlaps(_ other: ShaftRun) -> Bool {
        let middle = other.point(at: (other.start + other.end) / 2)
        let foot = point(at: 0)
        let along = (middle.x - foot.x) * line.direction.x + (middle.y - foot.y) * line.direction.y
        let across = abs((middle.x - foot.x) * line.normal.x + (middle.y - foot.y) * line.normal.y)
        return across <= 4 && along >= start - 4 && along <= end + 4
    }

    /// The point at position `s` along the line, in working pixels.
    func point(at s: Double) -> (x: Double, y: Double) {
        (line.normal.x * line.distance + line.direction.x * s, line.normal.y * line.distance + line.direction.y * s)
    }
}
