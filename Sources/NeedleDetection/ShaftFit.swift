import Foundation
import Media

/// A shaft found in the working picture, located again on the full-size still: the line
/// through its centre (a weighted fit to the brightest point across the shaft every pixel
/// along it), then its ends where its contrast falls to half the shaft's.
///
/// Half the shaft's contrast is where a blurred line's end lies, so the tip is found to
/// a pixel or two even though it is dimmer and softer than the shaft behind it.
struct ShaftFit {
    let entry: (x: Double, y: Double)
    let tip: (x: Double, y: Double)
    /// The shaft's contrast over the tissue above it, in grey levels (median along it).
    let contrast: Double
    /// How much the tissue above the shaft varies (grey levels, standard deviation): the
    /// shaft's contrast is judged against it.
    let texture: Double
    /// How far the shaft's centre points bow away from a straight line over its length
    /// (the sagitta of a parabola fitted to them), full-size pixels: near 0 for a needle,
    /// several pixels for a piece of a curved bone surface or a fascia arc.
    let straightness: Double
    /// The tissue below the shaft over the tissue above it (medians along the middle of the
    /// shaft): a needle's reverberations keep it near 1 or above; a bone surface's acoustic
    /// shadow takes it towards 0.
    let shadow: Double
    /// The share of the middle of the shaft with black on both sides (outside the imaged
    /// region: on-screen text and the fan's corner lined up by chance) or straight above
    /// (the skin line under the probe, where no needle enters: an in-plane needle comes in
    /// from the image's side).
    let outside: Double
    /// Where the tissue the shaft is measured against lies, full-size pixels above it.
    let offAbove: Double

    var length: Double { hypot(tip.x - entry.x, tip.y - entry.y) }
    /// To the horizontal, 0-90 degrees.
    var angleDegrees: Double { atan2(abs(tip.y - entry.y), abs(tip.x - entry.x)) * 180 / .pi }

    init?(_ run: ShaftRun, map: RidgeMap, image: FullImage) {
        let f = Double(map.factor)
        func full(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) { (p.x * f + (f - 1) / 2, p.y * f + (f - 1) / 2) }
        var origin = full(run.point(at: run.start))
        var direction = run.line.direction
        let runLength = run.length * f
        // Offsets searched across the line: the working line is within a working pixel or two.
        let reach = 2 * f + 2
        let above = 3 * f + 4
        for _ in 0..<2 {
            guard let line = Self.refit(image: image, origin: origin, direction: direction, from: 0, to: runLength,
                                        reach: reach, above: above) else { return nil }
            (origin, direction) = (line.origin, line.direction)
        }
        // Contrast along the fitted centre line, from a little before the run to a little after.
        let normal = Self.normal(direction)
        let margin = 6 * f + 6
        var positions: [Double] = []
        var contrast: [Double] = []
        var backgrounds: [Double] = []
        var belows: [Double] = []
        var endContrast: [Double] = []
        var sides: [Double] = []
        var overhead: [Double] = []
        // Beyond the run as far as the picture goes: the run may have stopped where the
        // shaft crosses something bright (a bone surface) that the ridge map does not see as a line.
        var s = -max(margin, runLength)
        while s <= 2 * runLength + margin {
            let p = (x: origin.x + direction.x * s, y: origin.y + direction.y * s)
            if image.contains(p.x, p.y) {
                let centre = (image.sample(p.x, p.y) * 2 + image.sample(p.x + normal.x * 0.7, p.y + normal.y * 0.7)
                    + image.sample(p.x - normal.x * 0.7, p.y - normal.y * 0.7)) / 4
                let background = (image.sample(p.x - normal.x * above, p.y - normal.y * above)
                    + image.sample(p.x - normal.x * (above + 2), p.y - normal.y * (above + 2))) / 2
                let below = [1.0, 1.5, 2.0].reduce(0) { $0 + image.sample(p.x + normal.x * above * $1, p.y + normal.y * above * $1) } / 3
                positions.append(s)
                contrast.append(centre - background)
                backgrounds.append(background)
                belows.append(below)
                // Past the tip the line may run on along a bone surface (the needle is
                // aimed at one): a bone's shadow below it, where a shaft has its
                // reverberations or tissue, says it is not shaft.
                let under = image.sample(p.x + normal.x * above, p.y + normal.y * above)
                endContrast.append(below < 0.3 * max(background, 8) ? 0 : centre - background)
                sides.append(max(background, under))
                overhead.append(image.sample(p.x, p.y - 2 * above))
            }
            s += 1
        }
        guard positions.count >= 8 else { return nil }
        let smoothed = Self.movingAverage(contrast, radius: max(1, Int(f)))
        let middle = smoothed.indices.filter { positions[$0] >= 0.2 * runLength && positions[$0] <= 0.8 * runLength }
        guard !middle.isEmpty else { return nil }
        let level = Self.median(middle.map { smoothed[$0] })
        guard level > 0 else { return nil }
        let ends = Self.movingAverage(endContrast, radius: max(1, Int(f)))
        let half = Self.median(middle.map { ends[$0] }) / 2
        // The ends: from the middle of the run outwards along the line while the shaft holds
        // half its contrast, across breaks of up to `gap` pixels (a shaft fades and breaks
        // with depth). From the middle, not the run's ends: the run may have gone on past the
        // tip along a bone surface in line with the needle, and on to the next bright thing.
        let gap = Int(4 * f + 6 + 0.05 * runLength)
        let middleIndex = positions.firstIndex { $0 >= runLength / 2 } ?? positions.count / 2
        let tipIndex = Self.extend(ends, from: middleIndex, step: 1, level: half, gap: gap)
        let entryIndex = Self.extend(ends, from: middleIndex, step: -1, level: half, gap: gap)
        guard tipIndex > entryIndex + 4 else { return nil }
        let tipS = Self.crossing(positions, ends, at: tipIndex, towards: tipIndex + 1, level: half)
        let entryS = Self.crossing(positions, ends, at: entryIndex, towards: entryIndex - 1, level: half)
        // Fitted again over the shaft alone (the run may have gone on along a bone surface
        // past the tip), which also measures its bow.
        guard let shaft = Self.refit(image: image, origin: origin, direction: direction, from: entryS, to: tipS,
                                     reach: reach, above: above) else { return nil }
        let entryPoint = (x: origin.x + direction.x * entryS, y: origin.y + direction.y * entryS)
        let tipPoint = (x: origin.x + direction.x * tipS, y: origin.y + direction.y * tipS)
        func onShaft(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) {
            let along = (p.x - shaft.origin.x) * shaft.direction.x + (p.y - shaft.origin.y) * shaft.direction.y
            return (shaft.origin.x + shaft.direction.x * along, shaft.origin.y + shaft.direction.y * along)
        }
        entry = onShaft(entryPoint)
        tip = onShaft(tipPoint)
        self.contrast = level
        let mean = backgrounds.reduce(0, +) / Double(backgrounds.count)
        texture = (backgrounds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(backgrounds.count)).squareRoot()
        straightness = shaft.sagitta
        offAbove = above
        let aboveLevel = Self.median(middle.map { backgrounds[$0] }), belowLevel = Self.median(middle.map { belows[$0] })
        shadow = belowLevel / max(aboveLevel, 8)
        outside = Double(middle.filter { sides[$0] < 4 || overhead[$0] < 4 }.count) / Double(middle.count)
    }

    /// Change between `before` and `now` along the far 40 % of the shaft (where a needle
    /// being advanced has just arrived) over the change in the tissue above it, plus a
    /// little for noise: well above 1 when the needle moved along its axis and the tissue
    /// did not; near 1 when nothing moved, or everything did (the probe).
    func motion(now: FullImage, before: FullImage) -> Double {
        let dx = tip.x - entry.x, dy = tip.y - entry.y, length = hypot(dx, dy)
        guard length > 4 else { return 0 }
        let direction = (x: dx / length, y: dy / length)
        let normal = Self.normal(direction)
        var shaft = 0.0, tissue = 0.0, count = 0.0
        var s = 0.6 * length
        while s <= length {
            let p = (x: entry.x + direction.x * s, y: entry.y + direction.y * s)
            let q = (x: p.x - normal.x * offAbove, y: p.y - normal.y * offAbove)
            shaft += abs(now.sample(p.x, p.y) - before.sample(p.x, p.y))
            tissue += abs(now.sample(q.x, q.y) - before.sample(q.x, q.y))
            count += 1
            s += 2
        }
        return (shaft / count) / (tissue / count + 3)
    }

    /// The unit normal pointing down, towards the reverberations below a shaft; the tissue
    /// the shaft's contrast is measured against lies the other way, above it.
    private static func normal(_ d: (x: Double, y: Double)) -> (x: Double, y: Double) {
        d.x >= 0 ? (-d.y, d.x) : (d.y, -d.x)
    }

    /// The line through the shaft's centre from `start` to `end` along the given one: at
    /// each pixel along it the brightest point within `reach` across, weighted by its
    /// contrast over the tissue `above`, fitted by weighted least squares; with the bow
    /// of those points about it.
    private static func refit(image: FullImage, origin: (x: Double, y: Double), direction: (x: Double, y: Double),
                              from start: Double, to end: Double, reach: Double, above: Double)
        -> (origin: (x: Double, y: Double), direction: (x: Double, y: Double), sagitta: Double)? {
        let normal = Self.normal(direction)
        var points: [(s: Double, o: Double, w: Double)] = []
        var s = start
        while s <= end {
            let p = (x: origin.x + direction.x * s, y: origin.y + direction.y * s)
            var best = (o: 0.0, value: -Double.infinity)
            var o = -reach
            while o <= reach {
                let v = image.sample(p.x + normal.x * o, p.y + normal.y * o)
                if v > best.value { best = (o, v) }
                o += 0.5
            }
            let weight = best.value - image.sample(p.x - normal.x * above, p.y - normal.y * above)
            if weight > 0 { points.append((s, best.o, weight)) }
            // Every other pixel: as good a fit for half the samples.
            s += 2
        }
        guard points.count >= 8 else { return nil }
        var sw = 0.0, ss = 0.0, so = 0.0, sss = 0.0, sso = 0.0
        for point in points {
            sw += point.w; ss += point.w * point.s; so += point.w * point.o
            sss += point.w * point.s * point.s; sso += point.w * point.s * point.o
        }
        let denominator = sw * sss - ss * ss
        guard denominator > 1e-9 else { return nil }
        let slope = (sw * sso - ss * so) / denominator
        let intercept = (so - slope * ss) / sw
        let sagitta = Self.sagitta(points.map { ($0.s, $0.o - (intercept + slope * $0.s), $0.w) })
        let turned = (x: direction.x + normal.x * slope, y: direction.y + normal.y * slope)
        let norm = hypot(turned.x, turned.y)
        return ((origin.x + normal.x * intercept, origin.y + normal.y * intercept), (turned.x / norm, turned.y / norm), sagitta)
    }

    /// The sagitta of the weighted least-squares parabola through (position, offset)
    /// points: its bow at the middle of their span against the chord between its ends.
    private static func sagitta(_ points: [(s: Double, o: Double, w: Double)]) -> Double {
        guard let first = points.first?.s, let last = points.last?.s, last > first else { return 0 }
        // Normal equations for o = a + b t + c t^2, t centred and scaled to -1...1 for conditioning.
        let mid = (first + last) / 2, half = (last - first) / 2
        var m = [[Double]](repeating: [0, 0, 0, 0], count: 3)
        for p in points {
            let t = (p.s - mid) / half
            let basis = [1, t, t * t]
            for i in 0..<3 {
                for j in 0..<3 { m[i][j] += p.w * basis[i] * basis[j] }
                m[i][3] += p.w * basis[i] * p.o
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<3 {
            guard let pivot = (col..<3).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-12 else { return 0 }
            m.swapAt(col, pivot)
            for row in 0..<3 where row != col {
                let factor = m[row][col] / m[col][col]
                for k in col..<4 { m[row][k] -= factor * m[col][k] }
            }
        }
        // With t in -1...1, the parabola's bow at the middle against its chord is |c|.
        return abs(m[2][3] / m[2][2])
    }

    /// The last index, going `step` from `index`, whose value holds `level`, with runs below
    /// it of at most `gap`; when `index` itself is below it, first back the other way to one
    /// that holds.
    private static func extend(_ values: [Double], from index: Int, step: Int, level: Double, gap: Int) -> Int {
        var last = index
        while values.indices.contains(last - step), values[last] < level { last -= step }
        var below = 0
        var i = last + step
        while values.indices.contains(i) {
            if values[i] >= level {
                last = i
                below = 0
            } else {
                below += 1
                if below > gap { break }
            }
            i += step
        }
        return last
    }

    /// Where the contrast crosses `level` between two neighbouring samples (linear), as a position.
    private static func crossing(_ positions: [Double], _ values: [Double], at index: Int, towards next: Int, level: Double) -> Double {
        guard values.indices.contains(next), values[index] != values[next] else { return positions[index] }
        let t = (values[index] - level) / (values[index] - values[next])
        return positions[index] + (positions[next] - positions[index]) * min(1, max(0, t))
    }

    private static func movingAverage(_ values: [Double], radius: Int) -> [Double] {
        values.indices.map { i in
            let lo = max(0, i - radius), hi = min(values.count - 1, i + radius)
            return values[lo...hi].reduce(0, +) / Double(hi - lo + 1)
        }
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

/// The full-size still as grey levels, read with bilinear interpolation.
struct FullImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    /// `gray`: the still in grey levels.
    init(_ gray: Image) {
        width = gray.width
        height = gray.height
        pixels = gray.pixels
    }

    func contains(_ x: Double, _ y: Double) -> Bool {
        x >= 0 && y >= 0 && x <= Double(width - 1) && y <= Double(height - 1)
    }

    func sample(_ x: Double, _ y: Double) -> Double {
        let cx = min(max(x, 0), Double(width - 1)), cy = min(max(y, 0), Double(height - 1))
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = cx - Double(x0), fy = cy - Double(y0)
        let a = Double(pixels[y0 * width + x0]), b = Double(pixels[y0 * width + x1])
        let c = Double(pixels[y1 * width + x0]), d = Double(pixels[y1 * width + x1])
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
    }
}
