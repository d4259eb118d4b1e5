import Foundation

/// The scanner's on-screen furniture around the image: header with identifiers and clock,
/// acquisition settings, grey map, depth scale, focus and orientation markers, frame counter,
/// accession number and the freeze indicator.
enum ScannerUI {
    /// Colours of one clip's furniture; all grey when the clip must stay R = G = B.
    struct Palette {
        var text: RGBColor
        var dimText: RGBColor
        var preset: RGBColor
        var scale: RGBColor
        var focus: RGBColor
        var marker: RGBColor
        var freezeFill: RGBColor
        var freezeText: RGBColor
        var rule: RGBColor

        init(color: Bool) {
            let p = (
                text: RGBColor(r: 236, g: 236, b: 236), dim: RGBColor(r: 170, g: 176, b: 184),
                preset: RGBColor(r: 110, g: 205, b: 255), scale: RGBColor(r: 90, g: 215, b: 120),
                focus: RGBColor(r: 255, g: 205, b: 40), marker: RGBColor(r: 90, g: 200, b: 255),
                freezeFill: RGBColor(r: 255, g: 214, b: 0), freezeText: RGBColor.black, rule: RGBColor(r: 70, g: 78, b: 92))
            if color {
                (text, dimText, preset, scale, focus, marker, freezeFill, freezeText, rule) =
                    (p.text, p.dim, p.preset, p.scale, p.focus, p.marker, p.freezeFill, p.freezeText, p.rule)
            } else {
                (text, dimText, preset, scale, focus, marker) = (.gray(232), .gray(176), .gray(210), .gray(200), .gray(250), .gray(240))
                (freezeFill, freezeText, rule) = (.gray(228), .black, .gray(80))
            }
        }
    }

    /// The screen with everything that does not change between frames.
    static func staticLayer(spec: ClipSpec, layout: ScreenLayout) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: spec.width * spec.height * 3)
        let palette = Palette(color: spec.colorUI)
        let s = layout.textScale
        rgb.withUnsafeMutableBufferPointer { buffer in
            let canvas = RGBCanvas(width: spec.width, height: spec.height, pixels: buffer)
            let id = spec.identity
            canvas.text(id.patientName, x: layout.nameOrigin.x, y: layout.nameOrigin.y, scale: s, palette.text)
            canvas.text(ScreenLayout.idText(spec), x: layout.idOrigin.x, y: layout.idOrigin.y, scale: s, palette.text)
            canvas.text(id.date, x: layout.dateOrigin.x, y: layout.dateOrigin.y, scale: s, palette.text)
            canvas.text(id.institution, x: layout.institutionOrigin.x, y: layout.institutionOrigin.y, scale: s, palette.dimText)
            canvas.text(ScreenLayout.presetLine(spec), x: layout.presetOrigin.x, y: layout.presetOrigin.y, scale: s, palette.preset)
            canvas.fill(PixelRect(x: 0, y: layout.header.height - max(1, s / 2), width: spec.width, height: max(1, s / 2)), palette.rule)

            // Acquisition settings as scanners list them beside the image.
            let depthCM = String(format: "%.1f", spec.depthMillimetres / 10)
            let lines = ["B-MODE", "GN 54", "DR 66", "FR \(Int(spec.sourceFramesPerSecond.rounded()))", "D \(depthCM)",
                         spec.probe == .linear ? "F 12M" : "F 4.5M", "MI 1.1", "TIS 0.4"]
            for (k, line) in lines.enumerated() {
                canvas.text(line, x: layout.panelOrigin.x, y: layout.panelOrigin.y + k * BitmapFont.lineAdvance * s, scale: s,
                            palette.dimText)
            }
            // Grey map bar.
            let bar = layout.grayBar
            for row in 0..<bar.height {
                let level = UInt8(255 - row * 255 / max(1, bar.height - 1))
                canvas.fill(PixelRect(x: bar.x, y: bar.y + row, width: bar.width, height: 1), .gray(level))
            }
            canvas.frame(bar.insetBy(-1), thickness: 1, .gray(90))

            drawDepthScale(spec: spec, layout: layout, palette: palette, canvas: canvas)
            canvas.fill(layout.orientationMarker, palette.marker)
            canvas.text(ScreenLayout.accessionText(spec), x: layout.accessionRect.x, y: layout.accessionRect.y, scale: s, palette.dimText)
        }
        return rgb
    }

    /// Centimetre ticks with numbers down the right edge of the image, half-centimetre minor
    /// ticks, and the focus marker.
    private static func drawDepthScale(spec: ClipSpec, layout: ScreenLayout, palette: Palette, canvas: borrowing RGBCanvas) {
        let s = layout.textScale
        let x = layout.depthScaleRect.x
        let perCM = 10 / layout.mmPerPixel
        let cms = Int((spec.depthMillimetres / 10 + 1e-9).rounded(.down))
        let labelEvery = perCM < Double(BitmapFont.lineAdvance * s) * 1.2 ? 2 : 1
        let thick = max(1, s / 2)
        for half in 0...(2 * cms) {
            let y = Int((layout.skinY + Double(half) * perCM / 2).rounded(.down))
            let major = half % 2 == 0
            if !major, perCM < 12 { continue }
            canvas.fill(PixelRect(x: x, y: y, width: major ? 4 * s : 2 * s, height: thick), palette.scale)
            if major, (half / 2) % labelEvery == 0 {
                let label = String(half / 2)
                canvas.text(label, x: x + 9 * s, y: y - (BitmapFont.glyphHeight * s) / 2, scale: s, palette.scale)
            }
        }
        // Focus marker: a small left-pointing triangle at the focal depth.
        let focusDepth = Acoustics(spec: spec).focus
        let fy = Int((layout.skinY + focusDepth / layout.mmPerPixel).rounded())
        let size = 2 * s
        for row in -size...size {
            let w = size - abs(row) + 1
            canvas.fill(PixelRect(x: x + 5 * s, y: fy + row, width: w, height: 1), palette.focus)
        }
    }

    /// What changes every frame: the clock, the frame counter, and the freeze indicator.
    static func drawDynamic(spec: ClipSpec, layout: ScreenLayout, time: Double, sourceFrame: Int, frozen: Bool,
                            canvas: borrowing RGBCanvas) {
        let palette = Palette(color: spec.colorUI)
        let s = layout.textScale
        canvas.text(ScreenLayout.clockText(spec, at: time), x: layout.clockRect.x, y: layout.clockRect.y, scale: s, palette.text)
        canvas.text(ScreenLayout.frameCounterText(sourceFrame), x: layout.frameCounterRect.x, y: layout.frameCounterRect.y,
                    scale: s, palette.dimText)
        guard frozen else { return }
        let box = layout.freezeIndicatorRect
        canvas.fill(box, palette.freezeFill)
        let pad = 2 * s
        let flake = "\u{2744}"
        let flakeW = BitmapFont.bounds(of: flake, x: 0, y: 0, scale: s).width
        canvas.text(flake, x: box.x + (box.width - flakeW) / 2, y: box.y + pad, scale: s, palette.freezeText)
        let word = "FREEZE"
        let wordW = BitmapFont.bounds(of: word, x: 0, y: 0, scale: s).width
        canvas.text(word, x: box.x + (box.width - wordW) / 2, y: box.y + 2 * pad + BitmapFont.glyphHeight * s, scale: s,
                    palette.freezeText)
    }
}
