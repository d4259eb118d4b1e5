import Foundation

/// Where everything goes on the scanner screen, derived from the spec alone: text scale,
/// header and footer bands, side panels, the image region and its millimetre scale.
///
/// Ground truth and the renderer both read positions from here, so they cannot disagree.
struct ScreenLayout: Sendable {
    let width: Int
    let height: Int
    /// Integer scale of the 5x7 font.
    let textScale: Int
    let header: PixelRect
    let footer: PixelRect
    let region: ImageRegion
    /// Rows of image pixels, at most two spans per row (a fan's top rows are split by the skin arc).
    let spans: [RowSpan]
    /// Millimetres per pixel, both axes.
    let mmPerPixel: Double
    /// The probe's skin line: linear, the top row of the image; curvilinear, the inner arc
    /// (its centre point sits at this y).
    let skinY: Double
    /// Horizontal centre of the image.
    let centerX: Double

    // Text positions.
    let nameOrigin: (x: Int, y: Int)
    let idOrigin: (x: Int, y: Int)
    let dateOrigin: (x: Int, y: Int)
    let clockRect: PixelRect
    let institutionOrigin: (x: Int, y: Int)
    let presetOrigin: (x: Int, y: Int)
    let panelOrigin: (x: Int, y: Int)
    let grayBar: PixelRect
    let frameCounterRect: PixelRect
    let accessionRect: PixelRect
    let freezeIndicatorRect: PixelRect
    let depthScaleRect: PixelRect
    let orientationMarker: PixelRect

    static let clockSample = "00:00:00"
    static let frameCounterDigits = 5

    init(spec: ClipSpec) {
        width = spec.width
        height = spec.height
        let s = max(1, spec.height / 240)
        textScale = s
        let cell = BitmapFont.advance * s
        let line = BitmapFont.lineAdvance * s
        let glyphH = BitmapFont.glyphHeight * s
        let pad = 2 * s

        header = PixelRect(x: 0, y: 0, width: width, height: 2 * pad + line + glyphH)
        let footerH = 2 * pad + glyphH
        footer = PixelRect(x: 0, y: height - footerH, width: width, height: footerH)
        let leftW = 7 * cell + pad
        let rightW = 5 * cell
        let availX = leftW, availY = header.height + pad
        let availW = width - leftW - rightW, availH = footer.y - pad - availY

        // MARK: image region
        if spec.probe == .linear {
            let raw = max(spec.apertureMillimetres / Double(availW), spec.depthMillimetres / Double(availH))
            let mmpp = (raw * 10_000).rounded(.up) / 10_000
            let w = Int(spec.apertureMillimetres / mmpp), h = Int(spec.depthMillimetres / mmpp)
            let bounds = PixelRect(x: availX + (availW - w) / 2, y: availY, width: w, height: h)
            mmPerPixel = mmpp
            region = ImageRegion(bounds: bounds, fan: nil)
            spans = (bounds.y..<(bounds.y + h)).map { RowSpan(y: $0, x0: bounds.x, x1: bounds.x + w) }
            skinY = Double(bounds.y)
            centerX = Double(bounds.x) + Double(w) / 2
        } else {
            let half = spec.fieldOfViewDegrees / 2 * .pi / 180
            let ri = spec.apertureMillimetres, ro = spec.apertureMillimetres + spec.depthMillimetres
            let boxW = 2 * ro * sin(half), boxH = ro - ri * cos(half)
            let raw = max(boxW / Double(availW), boxH / Double(availH))
            let mmpp = (raw * 10_000).rounded(.up) / 10_000
            let apexX = Double(availX + availW / 2)
            let apexY = (Double(availY) - ri * cos(half) / mmpp).rounded(.down)
            let fan = FanGeometry(
                apex: PixelPoint(x: apexX, y: apexY),
                innerRadius: (ri / mmpp).roundedToHundredths,
                outerRadius: (ro / mmpp).roundedToHundredths,
                halfAngleDegrees: (spec.fieldOfViewDegrees / 2).roundedToHundredths)
            let rows = ScreenLayout.fanSpans(fan, width: width, height: height)
            let x0 = rows.map(\.x0).min() ?? 0, x1 = rows.map(\.x1).max() ?? 0
            let y0 = rows.first?.y ?? 0, y1 = (rows.last?.y ?? 0) + 1
            mmPerPixel = mmpp
            region = ImageRegion(bounds: PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), fan: fan)
            spans = rows
            skinY = apexY + fan.innerRadius
            centerX = apexX
        }
        let bounds = region.bounds

        // MARK: header: name, date and clock right-aligned; ID, institution, preset right-aligned
        nameOrigin = (pad, pad)
        idOrigin = (pad, pad + line)
        let clockW = BitmapFont.bounds(of: ScreenLayout.clockSample, x: 0, y: 0, scale: s).width
        clockRect = PixelRect(x: width - pad - clockW, y: pad, width: clockW, height: glyphH)
        dateOrigin = (clockRect.x - (spec.identity.date.count + 2) * cell, pad)
        institutionOrigin = (pad + (ScreenLayout.idText(spec).count + 3) * cell, pad + line)
        let presetW = BitmapFont.bounds(of: ScreenLayout.presetLine(spec), x: 0, y: 0, scale: s).width
        presetOrigin = (width - pad - presetW, pad + line)

        // MARK: left panel: acquisition settings, grey map, freeze indicator
        panelOrigin = (pad, availY + pad)
        grayBar = PixelRect(x: pad + s, y: availY + pad + 8 * line + pad, width: 3 * s, height: 24 * s)
        let boxW = 6 * cell + 2 * s, boxH = 2 * glyphH + 3 * pad
        freezeIndicatorRect = PixelRect(x: max(0, (leftW - boxW) / 2 - s), y: footer.y - pad - boxH, width: boxW, height: boxH)

        // MARK: footer: frame counter left, accession right
        let counterText = ScreenLayout.frameCounterText(0)
        frameCounterRect = BitmapFont.bounds(of: counterText, x: pad, y: footer.y + pad, scale: s)
        let accText = ScreenLayout.accessionText(spec)
        let accW = BitmapFont.bounds(of: accText, x: 0, y: 0, scale: s).width
        accessionRect = PixelRect(x: width - pad - accW, y: footer.y + pad, width: accW, height: glyphH)

        // MARK: depth scale to the right of the image, orientation marker at its top left (outside it)
        let scaleX = bounds.x + bounds.width + s
        depthScaleRect = PixelRect(
            x: scaleX, y: max(header.height, Int(skinY) - glyphH),
            width: min(width - scaleX, 13 * s + 2 * cell),
            height: Int(spec.depthMillimetres / mmPerPixel) + 2 * glyphH)
        orientationMarker = PixelRect(x: bounds.x - 5 * s, y: bounds.y, width: 3 * s, height: 3 * s)
    }

    // MARK: - Text

    static func presetLine(_ spec: ClipSpec) -> String {
        spec.presetText
    }

    static func idText(_ spec: ClipSpec) -> String {
        "ID " + spec.identity.patientID
    }

    static func frameCounterText(_ sourceFrame: Int) -> String {
        let digits = String(sourceFrame + 1)
        return "FRAME " + String(repeating: "0", count: max(0, frameCounterDigits - digits.count)) + digits
    }

    static func accessionText(_ spec: ClipSpec) -> String {
        "ACC " + spec.identity.accession
    }

    /// The clock as the header shows it at content time `t`.
    static func clockText(_ spec: ClipSpec, at t: Double) -> String {
        let total = Int((spec.identity.clockStartSeconds + t).rounded(.down)) % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(total / 3600)):\(two(total / 60 % 60)):\(two(total % 60))"
    }

    // MARK: - Geometry

    /// Pixel position of a point given relative to the probe centre: lateral offset and
    /// depth below the skin (for a fan, Cartesian depth below the centre of the skin arc).
    func pixel(lateralMillimetres x: Double, depthMillimetres z: Double) -> PixelPoint {
        PixelPoint(x: centerX + x / mmPerPixel, y: skinY + z / mmPerPixel)
    }

    static func fanSpans(_ fan: FanGeometry, width: Int, height: Int) -> [RowSpan] {
        var rows: [RowSpan] = []
        let yTop = max(0, Int((fan.apex.y + fan.innerRadius * cos(fan.halfAngleDegrees * .pi / 180)).rounded(.down)))
        let yBottom = min(height - 1, Int((fan.apex.y + fan.outerRadius).rounded(.up)))
        guard yTop <= yBottom else { return rows }
        for y in yTop...yBottom {
            var start: Int?
            for x in 0...width {
                let inside = x < width && fan.contains(PixelPoint(x: Double(x) + 0.5, y: Double(y) + 0.5))
                if inside, start == nil { start = x }
                if !inside, let s = start {
                    rows.append(RowSpan(y: y, x0: s, x1: x))
                    start = nil
                }
            }
        }
        return rows
    }
}

/// Image pixels x0..<x1 of row y.
struct RowSpan: Sendable, Equatable {
    var y: Int
    var x0: Int
    var x1: Int
}
