/// Everything that defines one synthetic clip: frame format, container, probe, on-screen
/// furniture and the scenario (views over time, needle, freezes, the tech's tags).
///
/// Times in the scenario are *content* times: the scanner's own clock. They equal output
/// times except in a frame-rate-converted clip, where the scanner ran at
/// `sourceFramesPerSecond` and every `duplicateEvery`-th output frame repeats its predecessor.
public struct ClipSpec: Sendable, Codable, Equatable {
    public var name: String
    public var fileName: String
    /// `matroska` or `mp4`.
    public var container: String
    /// `mjpeg` or `h264`.
    public var codec: String
    public var width: Int
    public var height: Int
    public var framesPerSecond: Int
    public var frameCount: Int
    public var probe: ProbeKind
    /// Probe and preset as the scanner shows them, e.g. `L12-4 MSK`, `C5-2 SPINE`.
    public var presetText: String
    /// Imaging depth below the skin, in millimetres.
    public var depthMillimetres: Double
    /// Linear: footprint width. Curvilinear: radius of curvature of the array. Millimetres.
    public var apertureMillimetres: Double
    /// Curvilinear only: full opening angle of the fan, in degrees.
    public var fieldOfViewDegrees: Double
    /// Coloured UI elements; when false every pixel of every frame has R = G = B.
    public var colorUI: Bool
    /// Every n-th output frame (n-1, 2n-1, ...) is a bit-exact copy of the frame before it, as
    /// a frame-rate converter makes them; nil for none.
    public var duplicateEvery: Int?
    public var seed: UInt64
    public var identity: ScreenIdentity
    /// Views in time order; the first one has `arriveSeconds` 0.
    public var views: [ViewSpec]
    public var needle: NeedleSpec?
    public var freezes: [FreezeSpec]
    public var tags: [TagSpec]
    /// Every frame carries its own number in a code block in the top-left corner
    /// (``FrameCode``), so a test can tell exactly which frame a picture is. Nil: no code.
    public var numbered: Bool?
    /// A long, straight, bright fascial plane a few degrees off horizontal across the image
    /// (not a needle: a detector's usual false friend). Nil: none.
    public var brightFascia: Bool?

    public init(
        name: String, fileName: String, container: String, codec: String, width: Int, height: Int,
        framesPerSecond: Int, frameCount: Int, probe: ProbeKind, presetText: String, depthMillimetres: Double,
        apertureMillimetres: Double, fieldOfViewDegrees: Double = 60, colorUI: Bool, duplicateEvery: Int? = nil,
        seed: UInt64, identity: ScreenIdentity, views: [ViewSpec], needle: NeedleSpec?, freezes: [FreezeSpec],
        tags: [TagSpec]
    ) {
        self.name = name
        self.fileName = fileName
        self.container = container
        self.codec = codec
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.frameCount = frameCount
        self.probe = probe
        self.presetText = presetText
        self.depthMillimetres = depthMillimetres
        self.apertureMillimetres = apertureMillimetres
        self.fieldOfViewDegrees = fieldOfViewDegrees
        self.colorUI = colorUI
        self.duplicateEvery = duplicateEvery
        self.seed = seed
        self.identity = identity
        self.views = views
        self.needle = needle
        self.freezes = freezes
        self.tags = tags
    }

    /// The scanner's own frame rate: `framesPerSecond` less the inserted duplicates.
    public var sourceFramesPerSecond: Double {
        guard let n = duplicateEvery, n > 1 else { return Double(framesPerSecond) }
        return Double(framesPerSecond) * Double(n - 1) / Double(n)
    }

    public var durationSeconds: Double { Double(frameCount) / Double(framesPerSecond) }
}
