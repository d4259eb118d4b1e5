import Anatomy
import SampleKit
import Testing

/// Small clips that exercise every feature of the renderer but render fast in debug builds.
enum Fixtures {
    static let identity = ScreenIdentity(
        patientName: "DOE^JANE", patientID: "NL0000-0001", date: "2024-01-02", clockStartSeconds: 10 * 3600 + 59.5,
        institution: "TEST CLINIC", accession: "A0001")

    /// Linear, grey, 15 fps, 4 s: thoracic slide T6-T7 to T7-T8, needle, one freeze.
    static let linearGray = ClipSpec(
        name: "mini-linear", fileName: "mini-linear.mp4", container: "mp4", codec: "h264", width: 320, height: 240,
        framesPerSecond: 15, frameCount: 60, probe: .linear, presetText: "L12-4 MSK", depthMillimetres: 50,
        apertureMillimetres: 50, colorUI: false, seed: 11, identity: identity,
        views: [
            ViewSpec(level: VertebralSpan(covering: .t6, .t7), scene: .thoracicParasagittalCostotransverse,
                     centerMillimetres: -24, arriveSeconds: 0),
            ViewSpec(level: VertebralSpan(covering: .t7, .t8), scene: .thoracicParasagittalCostotransverse,
                     centerMillimetres: 0, arriveSeconds: 1.2, moveSeconds: 0.4),
        ],
        needle: NeedleSpec(entrySide: .left, angleDegrees: 35, targetLateralMillimetres: 0, targetDepthMillimetres: 31,
                           startSeconds: 1.3, reachSeconds: 1.9, pushes: 2),
        freezes: [FreezeSpec(startSeconds: 2.0, durationSeconds: 1.1)],
        tags: [
            TagSpec(seconds: 0.2, level: VertebralSpan(covering: .t6, .t7), structure: .costotransverseLigament, side: .right),
            TagSpec(seconds: 1.3, level: VertebralSpan(covering: .t7, .t8), structure: .costotransverseLigament, side: .right),
        ])

    /// Curvilinear, coloured, 15 fps, 4 s: lumbar transverse L4-L5 to L5-S1 (cross-fade),
    /// needle to the facet from the right, one freeze.
    static let curvedColor = ClipSpec(
        name: "mini-curved", fileName: "mini-curved.mp4", container: "mp4", codec: "h264", width: 320, height: 240,
        framesPerSecond: 15, frameCount: 60, probe: .curvilinear, presetText: "C5-2 SPINE", depthMillimetres: 100,
        apertureMillimetres: 50, fieldOfViewDegrees: 60, colorUI: true, seed: 12, identity: identity,
        views: [
            ViewSpec(level: VertebralSpan(covering: .l4, .l5), scene: .lumbarTransverseSpinous, arriveSeconds: 0),
            ViewSpec(level: VertebralSpan(covering: .l5, .s1), scene: .lumbarTransverseInterlaminar, arriveSeconds: 1.2,
                     moveSeconds: 0.4),
        ],
        needle: NeedleSpec(entrySide: .right, angleDegrees: 30, targetLateralMillimetres: 18, targetDepthMillimetres: 39,
                           startSeconds: 1.3, reachSeconds: 1.9, pushes: 2),
        freezes: [FreezeSpec(startSeconds: 2.0, durationSeconds: 1.2)],
        tags: [TagSpec(seconds: 0.5, level: VertebralSpan(covering: .l5, .s1), structure: .facetCapsule, side: .left)])

    /// The linear clip at 30 fps with a duplicate every 6th frame (25 fps scanner).
    static var frameRateConverted: ClipSpec {
        var spec = linearGray
        spec.name = "mini-frc"
        spec.framesPerSecond = 30
        spec.frameCount = 120
        spec.duplicateEvery = 6
        return spec
    }
}

/// Byte offsets (of the R byte) of every image pixel of a clip.
func imageOffsets(_ truth: GroundTruth) -> [Int] {
    var offsets: [Int] = []
    let bounds = truth.imageRegion.bounds
    for y in bounds.y..<(bounds.y + bounds.height) {
        for x in bounds.x..<(bounds.x + bounds.width) where truth.imageRegion.contains(x: x, y: y) {
            offsets.append((y * truth.width + x) * 3)
        }
    }
    return offsets
}

/// Mean absolute grey difference over the given pixels.
func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8], at offsets: [Int]) -> Double {
    var sum = 0
    for o in offsets { sum += abs(Int(a[o]) - Int(b[o])) }
    return Double(sum) / Double(max(1, offsets.count))
}

/// The bytes of a rectangle of an RGB24 frame.
func bytes(of rect: PixelRect, in rgb: [UInt8], width: Int) -> [UInt8] {
    var out: [UInt8] = []
    for y in rect.y..<(rect.y + rect.height) {
        let start = (y * width + rect.x) * 3
        out.append(contentsOf: rgb[start..<(start + rect.width * 3)])
    }
    return out
}

extension ClipSpec: CustomTestStringConvertible {
    public var testDescription: String { name }
}
