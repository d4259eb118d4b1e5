import Foundation

/// Renders the frames of one synthetic clip: a whole scanner screen as a capture card sees
/// it (B-mode image, header with burned-in identifiers, depth scale, frame counter, freeze
/// indicator), together with the exact ground truth of what each frame shows.
///
/// Frames are a pure function of their index: render them in any order, from any task.
/// Init does the heavy work (tissue textures, on-screen furniture); a frame then costs a
/// resampling pass over the image region plus the needle and a few lines of text.
public struct ScannerScreen: Sendable {
    public let spec: ClipSpec
    /// What every frame shows, computed from the spec alone.
    public let groundTruth: GroundTruth

    let layout: ScreenLayout
    let timeline: ClipTimeline
    let motion: ProbeMotion
    let needlePath: NeedlePath?
    let plan: WorldPlan
    /// Curvilinear only: fixed-point (8 fractional bits) texture coordinates of every image
    /// pixel, in span order, relative to the view centre.
    let mapU: [Int32]
    let mapV: [Int32]
    /// The screen without anything that changes from frame to frame.
    let staticLayer: [UInt8]
    /// Fresh per-frame noise, read at a frame-dependent offset.
    let noiseTile: [Int8]

    static let noiseTileSize = 128

    public init(spec: ClipSpec) {
        self.spec = spec
        let layout = ScreenLayout(spec: spec)
        self.layout = layout
        timeline = ClipTimeline(spec: spec)
        groundTruth = GroundTruth(spec: spec, layout: layout)
        let acoustics = Acoustics(spec: spec)
        let motion = ProbeMotion(framesPerSecond: spec.sourceFramesPerSecond, grainX: acoustics.lateralSigma / layout.mmPerPixel,
                                 grainY: acoustics.axialSigma / layout.mmPerPixel, seed: spec.seed)
        self.motion = motion
        needlePath = NeedlePath(spec: spec, layout: layout)
        let plan = WorldPlan(spec: spec, layout: layout, motion: motion)
        self.plan = plan
        (mapU, mapV) = ScannerScreen.fanMap(layout: layout, plan: plan, spec: spec)
        staticLayer = ScannerUI.staticLayer(spec: spec, layout: layout)
        var rng = SplitMix64(seed: spec.seed ^ 0x0015_E7F1)
        noiseTile = (0..<(ScannerScreen.noiseTileSize * ScannerScreen.noiseTileSize)).map { _ in
            // Triangular distribution in [-4, 4]: a little grain, not snow.
            Int8(Int(rng.next() % 5) + Int(rng.next() % 5) - 4)
        }
    }

    /// Renders output frame `index` as packed RGB24 (`width * height * 3` bytes, row-major,
    /// no padding) into `rgb`, resizing it if needed. Same spec and index, same bytes.
    /// Reusing one buffer across calls avoids an allocation per frame.
    /// - Precondition: `0 <= index < spec.frameCount`.
    public func render(frame index: Int, into rgb: inout [UInt8]) {
        precondition(index >= 0 && index < spec.frameCount, "frame \(index) outside 0..<\(spec.frameCount)")
        let count = spec.width * spec.height * 3
        if rgb.count != count { rgb = [UInt8](repeating: 0, count: count) }
        let source = timeline.sourceFrame(index)
        let imaging = timeline.imagingSource(ofSource: source)
        let frozen = timeline.freezeIndex(ofSource: source) != nil
        rgb.withUnsafeMutableBufferPointer { out in
            staticLayer.withUnsafeBufferPointer { layer in
                out.baseAddress!.update(from: layer.baseAddress!, count: count)
            }
            let canvas = RGBCanvas(width: spec.width, height: spec.height, pixels: out)
            renderImage(imagingSource: imaging, canvas: canvas)
            ScannerUI.drawDynamic(spec: spec, layout: layout, time: timeline.time(ofSource: source),
                                  sourceFrame: source, frozen: frozen, canvas: canvas)
        }
        if spec.numbered == true { FrameCode.draw(index, intoRGB: &rgb, width: spec.width, height: spec.height) }
    }

    /// Renders output frame `index` into a new buffer.
    public func render(frame index: Int) -> [UInt8] {
        var rgb: [UInt8] = []
        render(frame: index, into: &rgb)
        return rgb
    }

    /// The image part of a frame: a pure function of the scanner frame whose image is on
    /// screen, which is what keeps a freeze bit-exact.
    private func renderImage(imagingSource: Int, canvas: borrowing RGBCanvas) {
        let t = timeline.time(ofSource: imagingSource)
        renderBMode(time: t, imagingSource: imagingSource, canvas: canvas)
        if spec.brightFascia == true { drawFascia(canvas: canvas) }
        if let path = needlePath, let tip = path.tip(at: t) {
            drawNeedle(entry: path.entry, tip: tip, canvas: canvas)
        }
    }
}
