import Anatomy

extension ClipSpec {
    /// A short clip for measuring needle detection, varied by `seed`: screen size (capture
    /// cards' and scanners' own, 640x480 to 1920x1080), probe and scene, depth, grey or
    /// coloured furniture, and the needle's side, angle (12-58 degrees, beyond the 20-45 of
    /// the sample clips) and target (the scene's capsule or a little short of it). The needle enters at 0.2 s and reaches its target at
    /// 1.4 s; `needle: false` makes the same screen without one. `variant` makes it harder
    /// (``NeedleCaseVariant``).
    ///
    /// Not validated as the sample clips are (their needles keep to 20-45 degrees): a
    /// detector must also meet the steep and shallow passes real physicians make.
    public static func needleCase(seed: UInt64, needle withNeedle: Bool = true, variant: NeedleCaseVariant = .standard) -> ClipSpec {
        var random = SplitMix64(seed: seed ^ 0x4E45_4544_4C45)
        let sizes = [(640, 480), (800, 600), (1024, 768), (1148, 624), (1280, 720), (1920, 1080)]
        let size = sizes[Int(random.next() % UInt64(sizes.count))]
        // Each scene with the structure a physician aims at in it: lateral position (mm,
        // negative left; transverse views have a facet each side) and depth.
        let scenes: [(SpineScene, VertebralSpan, ProbeKind, Double, lateral: Double, depth: Double)] = [
            (.lumbarTransverseSpinous, VertebralSpan(covering: .l4, .l5), .curvilinear, random.next(in: 70, 110),
             AnatomyScene.facetX, AnatomyScene.facetCapsuleDepth),
            (.lumbarTransverseInterlaminar, VertebralSpan(covering: .l5, .s1), .curvilinear, random.next(in: 70, 110),
             AnatomyScene.facetX, AnatomyScene.facetCapsuleDepth),
            (.lumbarParasagittalArticular, VertebralSpan(covering: .l3, .l4), .curvilinear, random.next(in: 70, 100),
             0, AnatomyScene.lumbarArticularCapsuleDepth),
            (.cervicalParasagittalPillar, VertebralSpan(covering: .c5, .c6), .linear, random.next(in: 35, 50),
             0, AnatomyScene.cervicalCapsuleDepth),
            (.thoracicParasagittalCostotransverse, VertebralSpan(covering: .t7, .t8), .linear, random.next(in: 40, 60),
             0, AnatomyScene.costotransverseDepth),
        ]
        let (scene, level, probe, depth, structureLateral, structureDepth) = scenes[Int(random.next() % UInt64(scenes.count))]
        let angle = variant == .steep ? random.next(in: 48, 60) : random.next(in: 12, 58)
        let side: ImageSide = random.next() % 2 == 0 ? .left : .right
        // Aimed at the structure on the needle's side, or a little short of it (a needle
        // stops in the tissue over the bone; it never passes through bone into its shadow).
        let target = (lateral: (side == .left ? -structureLateral : structureLateral) + random.next(in: -3, 3),
                      depth: structureDepth * random.next(in: 0.75, 0.98))
        let name = "needle-case-\(String(seed, radix: 16))"
        var spec = ClipSpec(
            name: name, fileName: name + ".mkv", container: "matroska", codec: "mjpeg",
            width: size.0, height: size.1, framesPerSecond: 30, frameCount: 60, probe: probe,
            presetText: probe == .linear ? "L12-4 MSK" : "C5-2 SPINE", depthMillimetres: depth,
            apertureMillimetres: probe == .linear ? random.next(in: 35, 50) : 50, fieldOfViewDegrees: random.next(in: 50, 70),
            colorUI: random.next() % 2 == 0, seed: seed,
            identity: ScreenIdentity(patientName: "CASE^NEEDLE", patientID: "NC-\(seed % 10_000)", date: "2025-06-01",
                                     clockStartSeconds: 9 * 3600, institution: "NORTHSIDE SPINE CLINIC", accession: "A25060100"),
            views: [ViewSpec(level: level, scene: scene, arriveSeconds: 0)],
            needle: withNeedle
                ? NeedleSpec(entrySide: side, angleDegrees: angle, targetLateralMillimetres: target.lateral,
                             targetDepthMillimetres: target.depth, startSeconds: 0.2, reachSeconds: 1.4, pushes: 2,
                             look: variant.look)
                : nil,
            freezes: [], tags: [])
        spec.brightFascia = variant == .brightFascia ? true : nil
        return spec
    }
}

/// The harder needle cases, each a phenomenon of real scans.
public enum NeedleCaseVariant: String, CaseIterable, Sendable {
    /// As the sample clips draw a needle, at 12-58 degrees.
    case standard
    /// The shaft under half as bright.
    case faint
    /// In pieces, fading with depth.
    case broken
    /// 48-60 degrees: less echo, thinner across a column.
    case steep
    /// A long straight bright fascial plane a few degrees off horizontal besides the needle.
    case brightFascia = "bright-fascia"
    /// Out of plane: a dot where the beam crosses the shaft, no shaft to find.
    case outOfPlane = "out-of-plane"

    var look: NeedleLook? {
        switch self {
        case .faint: .faint
        case .broken: .broken
        case .outOfPlane: .outOfPlane
        case .standard, .steep, .brightFascia: nil
        }
    }
}
