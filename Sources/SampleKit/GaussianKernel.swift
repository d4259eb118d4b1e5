import Foundation

/// A normalised 1-D Gaussian for separable filtering, scaled so the sum of squares is 1:
/// filtering white noise then keeps its variance, so speckle brightness does not depend on
/// the grain size.
struct GaussianKernel: Sendable {
    let weights: [Float]
    var radius: Int { weights.count / 2 }

    init(sigma: Double) {
        let s = max(0.5, sigma)
        let r = max(1, Int((3 * s).rounded(.up)))
        var w = (-r...r).map { Float(exp(-Double($0 * $0) / (2 * s * s))) }
        let energy = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        w = w.map { $0 / energy }
        weights = w
    }

    /// Filters every row; samples beyond the edges count as zero.
    func filterRows(_ data: inout [Float], width: Int, height: Int) {
        var line = [Float](repeating: 0, count: width + 2 * radius)
        let r = radius
        weights.withUnsafeBufferPointer { k in
            data.withUnsafeMutableBufferPointer { d in
                line.withUnsafeMutableBufferPointer { l in
                    for y in 0..<height {
                        let row = y * width
                        for x in 0..<width { l[x + r] = d[row + x] }
                        for x in 0..<width {
                            var acc: Float = 0
                            for j in 0..<k.count { acc += k[j] * l[x + j] }
                            d[row + x] = acc
                        }
                    }
                }
            }
        }
    }

    /// Filters every column; samples beyond the edges count as zero.
    func filterColumns(_ data: inout [Float], width: Int, height: Int) {
        // Row-at-a-time accumulation keeps memory access sequential.
        let r = radius
        var result = [Float](repeating: 0, count: data.count)
        weights.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                result.withUnsafeMutableBufferPointer { out in
                    for y in 0..<height {
                        let row = y * width
                        for j in -r...r {
                            let sy = y + j
                            guard sy >= 0, sy < height else { continue }
                            let w = k[j + r]
                            let src = sy * width
                            for x in 0..<width { out[row + x] += w * d[src + x] }
                        }
                    }
                }
            }
        }
        data = result
    }
}
