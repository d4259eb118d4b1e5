import Media

/// A still reduced to a working size with, for every pixel, how much brighter it is than
/// what lies above and below it: the response of a thin bright line.
///
/// Taking the *brighter* of the two sides (not their mean) is what tells a line from an
/// edge: at the border of a bright region, such as the fan's side or a bone surface seen
/// from inside, one side is as bright as the pixel and the response is nil.
struct RidgeMap {
    /// The working picture, the still averaged over `factor` x `factor` blocks.
    let gray: [Float]
    let ridge: [Float]
    let width: Int
    let height: Int
    /// Full-size pixels per working pixel.
    let factor: Int

    /// The longer side a still is reduced to before the search: 1080p is searched at half
    /// size, 4K at a quarter; the shaft is then located again at full size.
    static let workingSide = 960
    /// Distances (working pixels) above and below at which a line's sides are sampled:
    /// shafts 1-4 pixels thick across, as seen down a column at up to 62 degrees.
    static let sideDistances = [2, 3, 4]

    /// `gray`: the still in grey levels.
    init(_ gray: Image) {
        let factor = max(1, (max(gray.width, gray.height) + Self.workingSide - 1) / Self.workingSide)
        let width = gray.width / factor, height = gray.height / factor
        var small = [Float](repeating: 0, count: width * height)
        let scale = 1 / Float(factor * factor)
        gray.pixels.withUnsafeBufferPointer { source in
            small.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    for x in 0..<width {
                        var sum = 0
                        for dy in 0..<factor {
                            let row = (y * factor + dy) * gray.width + x * factor
                            for dx in 0..<factor { sum += Int(source[row + dx]) }
                        }
                        out[y * width + x] = Float(sum) * scale
                    }
                }
            }
        }
        var ridge = [Float](repeating: 0, count: width * height)
        let reach = Self.sideDistances.max() ?? 1
        if height > 2 * reach {
            small.withUnsafeBufferPointer { g in
                ridge.withUnsafeMutableBufferPointer { r in
                    for y in reach..<(height - reach) {
                        for x in 0..<width {
                            let i = y * width + x
                            let centre = g[i]
                            var best: Float = 0
                            for d in Self.sideDistances {
                                let side = max(g[i - d * width], g[i + d * width])
                                best = max(best, centre - side)
                            }
                            r[i] = best
                        }
                    }
                }
            }
        }
        self.gray = small
        self.ridge = ridge
        self.width = width
        self.height = height
        self.factor = factor
    }

    /// The response below which a pixel is not counted as part of a line: the 97th
    /// percentile of the picture's own responses (speckle sets the floor, not a constant),
    /// and at least 8 grey levels.
    func threshold() -> Float {
        var histogram = [Int](repeating: 0, count: 256)
        var counted = 0
        for value in ridge where value > 0 {
            histogram[min(255, Int(value))] += 1
            counted += 1
        }
        guard counted > 0 else { return 8 }
        let wanted = Int(Double(width * height) * 0.03)
        var above = 0
        for level in stride(from: 255, through: 0, by: -1) {
            above += histogram[level]
            if above >= wanted { return max(8, Float(level)) }
        }
        return 8
    }

    @inline(__always)
    func gray(atX x: Int, y: Int) -> Float {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return gray[y * width + x]
    }

    @inline(__always)
    func ridge(atX x: Int, y: Int) -> Float {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return ridge[y * width + x]
    }
}
