import Foundation

/// Straight lines at a needle's angles along which many line pixels lie: a Hough
/// transform of the ridge map over 10-62 degrees either way down, one degree and one
/// working pixel apart, each line pixel's vote capped so one very bright patch (a bone
/// surface) cannot outvote a long, fainter shaft.
struct LineCandidates {
    /// A line through the working picture: points p with dot(p, normal) = distance.
    struct Line {
        let angleDegrees: Double
        /// +1 when the line runs down to the right (a needle from the left), -1 down to the left.
        let slope: Int
        let direction: (x: Double, y: Double)
        let normal: (x: Double, y: Double)
        let distance: Double
        let votes: Float
    }

    static let angles = stride(from: 10.0, through: 62.0, by: 1.0).map { $0 }

    let lines: [Line]

    init(_ map: RidgeMap, threshold: Float, keep: Int = 48) {
        let angles = Self.angles
        // Directions, down-right then down-left, and their normals.
        var directions: [(angle: Double, slope: Int, dx: Double, dy: Double)] = []
        for slope in [1, -1] {
            for angle in angles {
                let radians = angle * .pi / 180
                directions.append((angle, slope, cos(radians) * Double(slope), sin(radians)))
            }
        }
        let offset = map.width + map.height
        let bins = 2 * offset + 1
        var accumulator = [Float](repeating: 0, count: directions.count * bins)
        let normalX = directions.map { Float(-$0.dy) }, normalY = directions.map { Float($0.dx) }
        let cap = 3 * threshold
        map.ridge.withUnsafeBufferPointer { ridge in
            accumulator.withUnsafeMutableBufferPointer { votes in
                for y in 0..<map.height {
                    for x in 0..<map.width {
                        let value = ridge[y * map.width + x]
                        guard value >= threshold else { continue }
                        let vote = min(value, cap) / threshold
                        let fx = Float(x), fy = Float(y)
                        for k in 0..<directions.count {
                            let rho = Int((fx * normalX[k] + fy * normalY[k]).rounded()) + offset
                            votes[k * bins + rho] += vote
                        }
                    }
                }
            }
        }
        // The strongest lines, each the best within 2 degrees and 4 pixels of itself.
        // Only cells with a tenth of the best line's votes can be among the kept (and
        // sorting all of them would cost more than the transform).
        let floor = (accumulator.max() ?? 0) / 10
        var order = Array(0..<accumulator.count).filter { accumulator[$0] > floor }
        order.sort { accumulator[$0] > accumulator[$1] }
        var kept: [Line] = []
        var taken: [(k: Int, rho: Int)] = []
        for index in order {
            let k = index / bins, rho = index % bins
            let slope = directions[k].slope
            let near = taken.contains { other in
                directions[other.k].slope == slope && abs(other.k - k) <= 2 && abs(other.rho - rho) <= 4
            }
            guard !near else { continue }
            taken.append((k, rho))
            let d = directions[k]
            kept.append(Line(angleDegrees: d.angle, slope: d.slope, direction: (d.dx, d.dy), normal: (-d.dy, d.dx),
                             distance: Double(rho - offset), votes: accumulator[index]))
            if kept.count == keep { break }
        }
        lines = kept
    }
}
