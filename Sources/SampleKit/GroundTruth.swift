import Foundation

/// Exactly what a synthetic clip shows, frame by frame: the reference that freeze detection,
/// still snapping, needle annotation, the tag timeline and de-identification are tested
/// against. Written as JSON beside each clip; reproducible to the byte from the spec.
public struct GroundTruth: Codable, Sendable, Equatable {
    /// Bumped whenever a change to SampleKit changes any frame or ground truth value.
    public static let currentGeneratorVersion = "samplekit-1"

    public var generatorVersion: String
    public var seed: UInt64
    public var name: String
    public var fileName: String
    public var container: String
    public var codec: String
    public var width: Int
    public var height: Int
    public var framesPerSecond: Int
    /// The scanner's own rate; lower than `framesPerSecond` when duplicates were inserted.
    public var sourceFramesPerSecond: Double
    public var frameCount: Int
    public var durationSeconds: Double
    public var probe: ProbeKind
    public var presetText: String
    public var depthMillimetres: Double
    public var mmPerPixel: Double
    public var imageRegion: ImageRegion
    /// Every rectangle of burned-in text that carries identifiers (header band, accession);
    /// masking these de-identifies a frame.
    public var burnedInTextRegions: [TextRegion]
    /// The running clock inside the header.
    public var clockRegion: PixelRect
    public var frameCounterRegion: PixelRect
    /// Where the freeze indicator appears while frozen.
    public var freezeIndicatorRegion: PixelRect
    public var depthScaleRegion: PixelRect
    public var patientName: String
    public var patientID: String
    /// As shown on screen.
    public var date: String
    public var institution: String
    public var accession: String
    public var colorUI: Bool
    /// Per output frame; nil where no needle is visible.
    public var needle: [NeedleFrame?]
    /// Where the needle is aimed, pixels; nil in clips without a needle.
    public var needleTarget: PixelPoint?
    public var freezes: [FreezeInterval]
    /// Output frames that are bit-exact copies of their predecessor (frame-rate conversion).
    public var duplicateFrames: [Int]
    public var views: [ViewInterval]
    /// The tech's script.
    public var tags: [TagInterval]

    /// Pretty-printed JSON with sorted keys: stable across runs.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads ground truth back from `jsonData()`'s output.
    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(GroundTruth.self, from: jsonData)
    }
}
