import Media
import Records

/// Draws a needle annotation onto a still, for the exported PNG: the trajectory as a
/// thick yellow line from entry to tip, the tip as a red ring, the target as a green cross.
enum NeedleOverlay {
    typealias Colour = (r: UInt8, g: UInt8, b: UInt8)
    static let trajectory: Colour = (255, 215, 0)
    static let tip: Colour = (230, 40, 40)
    static let target: Colour = (40, 220, 90)

    static func draw(_ geometry: NeedleGeometry, on image: Image) -> Image {
        var canvas = image.format == .rgb24 ? image : rgb(image)
        // Lines a little thicker on large screens so they survive scaling down on a slide.
        let width = max(2.0, Double(max(canvas.width, canvas.height)) / 400)
        line(from: geometry.entry, to: geometry.tip, width: width, colour: trajectory, on: &canvas)
        ring(at: geometry.tip, radius: width * 4, width: width, colour: tip, on: &canvas)
        if let point = geometry.target {
            let arm = width * 5
            line(from: ImagePoint(x: point.x - arm, y: point.y), to: ImagePoint(x: point.x + arm, y: point.y), width: width, colour: target, on: &canvas)
            line(from: ImagePoint(x: point.x, y: point.y - arm), to: ImagePoint(x: point.x, y: point.y + arm), width: width, colour: target, on: &canvas)
        }
        return canvas
    }

    private static func rgb(_ gray: Image) -> Image {
        var pixels = [UInt8](repeating: 0, count: gray.width * gray.height * 3)
        for i in 0..<(gray.width * gray.height) {
            let v = gray.pixels[i]
            pixels[3 * i] = v
            pixels[3 * i + 1] = v
            pixels[3 * i + 2] = v
        }
        return try! Image(width: gray.width, height: gray.height, format: .rgb24, pixels: pixels)
    }

    /// Every pixel within `width / 2` of the segment.
    private static func line(from a: ImagePoint, to b: ImagePoint, width: Double, colour: Colour, on image: inout Image) {
        let half = width / 2
        let minX = pixel((min(a.x, b.x) - half).rounded(.down), in: image.width), maxX = pixel((max(a.x, b.x) + half).rounded(.up), in: image.width)
        let minY = pixel((min(a.y, b.y) - half).rounded(.down), in: image.height), maxY = pixel((max(a.y, b.y) + half).rounded(.up), in: image.height)
        guard minX <= maxX, minY <= maxY else { return }
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        for y in minY...maxY {
            for x in minX...maxX {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let t = lengthSquared == 0 ? 0 : max(0, min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared))
                let cx = a.x + t * dx - px, cy = a.y + t * dy - py
                if cx * cx + cy * cy <= half * half { set(x, y, colour, &image) }
            }
        }
    }

    private static func ring(at centre: ImagePoint, radius: Double, width: Double, colour: Colour, on image: inout Image) {
        let outer = radius + width / 2, inner = radius - width / 2
        let minX = pixel(centre.x - outer, in: image.width), maxX = pixel(centre.x + outer + 1, in: image.width)
        let minY = pixel(centre.y - outer, in: image.height), maxY = pixel(centre.y + outer + 1, in: image.height)
        guard minX <= maxX, minY <= maxY else { return }
        for y in minY...maxY {
            for x in minX...maxX {
                let d = ((Double(x) + 0.5 - centre.x) * (Double(x) + 0.5 - centre.x) + (Double(y) + 0.5 - centre.y) * (Double(y) + 0.5 - centre.y)).squareRoot()
                if d >= inner && d <= outer { set(x, y, colour, &image) }
            }
        }
    }

    /// A coordinate as a pixel index clamped to 0..<size. Clamped as a Double first:
    /// converting a huge or non-finite value to Int traps.
    private static func pixel(_ value: Double, in size: Int) -> Int {
        guard !value.isNaN else { return 0 }
        return Int(min(max(value, 0), Double(size - 1)))
    }

    private static func set(_ x: Int, _ y: Int, _ colour: Colour, _ image: inout Image) {
        let i = (y * image.width + x) * 3
        image.pixels[i] = colour.r
        image.pixels[i + 1] = colour.g
        image.pixels[i + 2] = colour.b
    }
}
