import Foundation
import Media

/// Where a scanner burns text into its screen, and how to blank it: a band across
/// the top (the header with name, ID, date and clock, on every scanner the clinic
/// uses) and any rectangles configured for a scanner model (an accession number at
/// the bottom, a frame counter).
public struct BurnedInTextMask: Sendable, Equatable, Codable {
    /// A rectangle of pixels: columns x..<x+width, rows y..<y+height.
    public struct Rectangle: Sendable, Equatable, Codable, CustomStringConvertible {
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int

        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        /// Reads `x,y,w,h` as the command line writes it.
        /// - Throws: ``DICOMExportError`` naming the expected form.
        public init(parsing text: String) throws(DICOMExportError) {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
                  x >= 0, y >= 0, w > 0, h > 0
            else {
                throw DICOMExportError(.invalid, "mask \"\(text)\" is not a rectangle: write x,y,width,height in pixels, such as 482,462,154,14 (x and y from 0, width and height at least 1)")
            }
            self.init(x: x, y: y, width: w, height: h)
        }

        public var description: String { "\(x),\(y),\(width),\(height)" }
    }

    /// Rows blanked at the top; `nil` for the default (``defaultHeaderBand(forHeight:)``).
    public var headerBand: Int?
    public var rectangles: [Rectangle]

    public init(headerBand: Int? = nil, rectangles: [Rectangle] = []) {
        self.headerBand = headerBand
        self.rectangles = rectangles
    }

    /// One tenth of the height and at least 48 rows: covers the header of every screen
    /// layout seen so far (42 rows at 480, 63 at 720, 84 at 1080) with a margin.
    public static func defaultHeaderBand(forHeight height: Int) -> Int {
        min(height, max(48, height / 10))
    }

    /// The rectangles blanked in an image of this size, clipped to it.
    public func regions(width: Int, height: Int) -> [Rectangle] {
        let band = min(height, headerBand ?? Self.defaultHeaderBand(forHeight: height))
        var all = band > 0 ? [Rectangle(x: 0, y: 0, width: width, height: band)] : []
        all += rectangles
        return all.compactMap { r in
            let x0 = min(max(r.x, 0), width), y0 = min(max(r.y, 0), height)
            let x1 = min(r.x + r.width, width), y1 = min(r.y + r.height, height)
            return x1 > x0 && y1 > y0 ? Rectangle(x: x0, y: y0, width: x1 - x0, height: y1 - y0) : nil
        }
    }

    /// The image with every region set to black.
    public func apply(to image: Image) -> Image {
        var out = image
        let channels = image.format.channels
        for r in regions(width: image.width, height: image.height) {
            for row in r.y..<(r.y + r.height) {
                let start = (row * image.width + r.x) * channels
                out.pixels.replaceSubrange(start..<(start + r.width * channels),
                                           with: repeatElement(0, count: r.width * channels))
            }
        }
        return out
    }
}
