import Anatomy

extension ClipSpec {
    /// The clips of NeedleLog's SampleData: four short scanner recordings that together
    /// cover both probes, grey and coloured furniture, MJPEG and H.264, 25-to-30 fps
    /// duplicates, probe moves, needles and freezes, and a scanner's own export size.
    public static let standard: [ClipSpec] = [.lumbarCapture, .cervical, .lumbar1080p60, .thoracicFRC, .scannerExport]

    /// USB capture card style: 640x480 MJPEG in Matroska, grey furniture, curvilinear;
    /// transverse L4-L5, probe move to L5-S1, needle to the right L5-S1 facet, 2 freezes.
    public static let lumbarCapture = ClipSpec(
        name: "lumbar-capture-640x480", fileName: "lumbar-capture-640x480.mkv", container: "matroska", codec: "mjpeg",
        width: 640, height: 480, framesPerSecond: 30, frameCount: 300, probe: .curvilinear, presetText: "C5-2 SPINE",
        depthMillimetres: 100, apertureMillimetres: 50, fieldOfViewDegrees: 60, colorUI: false, seed: 0x5A17_0001,
        identity: ScreenIdentity(patientName: "DOE^JANE", patientID: "NL0042-7731", date: "2024-03-14",
                                 clockStartSeconds: 9 * 3600 + 41 * 60 + 17.4, institution: "NORTHSIDE SPINE CLINIC",
                                 accession: "A24031401"),
        views: [
            ViewSpec(level: VertebralSpan(covering: .l4, .l5), scene: .lumbarTransverseSpinous, arriveSeconds: 0),
            ViewSpec(level: VertebralSpan(covering: .l5, .s1), scene: .lumbarTransverseInterlaminar, arriveSeconds: 4.8,
                     moveSeconds: 0.8),
        ],
        needle: NeedleSpec(entrySide: .left, angleDegrees: 33, targetLateralMillimetres: -AnatomyScene.facetX,
                           targetDepthMillimetres: AnatomyScene.facetCapsuleDepth, startSeconds: 5.6, reachSeconds: 8.0),
        freezes: [FreezeSpec(startSeconds: 1.6, durationSeconds: 1.3), FreezeSpec(startSeconds: 8.3, durationSeconds: 1.2)],
        tags: [
            TagSpec(seconds: 0.5, level: VertebralSpan(covering: .l4, .l5), structure: .interspinousLigament, side: .midline),
            TagSpec(seconds: 5.0, level: VertebralSpan(covering: .l5, .s1), structure: .facetCapsule, side: .right),
        ])

    /// 720p H.264, coloured furniture, linear; paramedian sagittal C5-C6 then C6-C7 (a slide
    /// along the spine), needle to the C6-C7 facet capsule, 3 freezes.
    public static let cervical = ClipSpec(
        name: "cervical-1280x720", fileName: "cervical-1280x720.mp4", container: "mp4", codec: "h264",
        width: 1280, height: 720, framesPerSecond: 30, frameCount: 600, probe: .linear, presetText: "L12-4 MSK",
        depthMillimetres: 40, apertureMillimetres: 38, colorUI: true, seed: 0x5A17_0002,
        identity: ScreenIdentity(patientName: "TESTPATIENT, ANNA", patientID: "NL0107-2288", date: "2024-05-02",
                                 clockStartSeconds: 14 * 3600 + 5 * 60 + 52.7, institution: "NORTHSIDE SPINE CLINIC",
                                 accession: "A24050217"),
        views: [
            ViewSpec(level: VertebralSpan(covering: .c5, .c6), scene: .cervicalParasagittalPillar, centerMillimetres: 0,
                     arriveSeconds: 0),
            ViewSpec(level: VertebralSpan(covering: .c6, .c7), scene: .cervicalParasagittalPillar,
                     centerMillimetres: SpineScene.cervicalParasagittalPillar.segmentMillimetres, arriveSeconds: 7.8,
                     moveSeconds: 0.8),
        ],
        needle: NeedleSpec(entrySide: .left, angleDegrees: 27, targetLateralMillimetres: 0,
                           targetDepthMillimetres: AnatomyScene.cervicalCapsuleDepth, startSeconds: 9.0, reachSeconds: 12.5),
        freezes: [
            FreezeSpec(startSeconds: 2.0, durationSeconds: 1.5), FreezeSpec(startSeconds: 13.0, durationSeconds: 1.5),
            FreezeSpec(startSeconds: 16.5, durationSeconds: 1.6),
        ],
        tags: [
            TagSpec(seconds: 0.6, level: VertebralSpan(covering: .c5, .c6), structure: .facetCapsule, side: .left),
            TagSpec(seconds: 8.2, level: VertebralSpan(covering: .c6, .c7), structure: .facetCapsule, side: .left),
        ])

    /// 1080p60 H.264, coloured furniture, curvilinear; paramedian sagittal over the L4-L5
    /// articular processes, needle to the facet capsule, 1 freeze.
    public static let lumbar1080p60 = ClipSpec(
        name: "lumbar-1920x1080-60fps", fileName: "lumbar-1920x1080-60fps.mp4", container: "mp4", codec: "h264",
        width: 1920, height: 1080, framesPerSecond: 60, frameCount: 300, probe: .curvilinear, presetText: "C5-2 SPINE",
        depthMillimetres: 90, apertureMillimetres: 50, fieldOfViewDegrees: 60, colorUI: true, seed: 0x5A17_0003,
        identity: ScreenIdentity(patientName: "DOE^JOHN", patientID: "NL0311-5190", date: "2024-09-23",
                                 clockStartSeconds: 11 * 3600 + 2 * 60 + 48.9, institution: "NORTHSIDE SPINE CLINIC",
                                 accession: "A24092305"),
        views: [ViewSpec(level: VertebralSpan(covering: .l4, .l5), scene: .lumbarParasagittalArticular, arriveSeconds: 0)],
        needle: NeedleSpec(entrySide: .right, angleDegrees: 38, targetLateralMillimetres: 0,
                           targetDepthMillimetres: AnatomyScene.lumbarArticularCapsuleDepth, startSeconds: 0.8, reachSeconds: 2.8,
                           pushes: 2),
        freezes: [FreezeSpec(startSeconds: 3.2, durationSeconds: 1.2)],
        tags: [TagSpec(seconds: 0.3, level: VertebralSpan(covering: .l4, .l5), structure: .facetCapsule, side: .left)])

    /// 640x480 H.264 at 30 fps converted from a 25 fps scanner: every 6th frame repeats the
    /// one before. Grey furniture, linear; thoracic paramedian sagittal T6-T7 then T7-T8,
    /// needle to the T7-T8 costotransverse ligament, one genuine freeze.
    public static let thoracicFRC = ClipSpec(
        name: "thoracic-frc-640x480", fileName: "thoracic-frc-640x480.mp4", container: "mp4", codec: "h264",
        width: 640, height: 480, framesPerSecond: 30, frameCount: 300, probe: .linear, presetText: "L12-4 MSK",
        depthMillimetres: 50, apertureMillimetres: 50, colorUI: false, duplicateEvery: 6, seed: 0x5A17_0004,
        identity: ScreenIdentity(patientName: "TESTPATIENT, BERT", patientID: "NL0520-0064", date: "2025-01-09",
                                 clockStartSeconds: 8 * 3600 + 59 * 60 + 55.2, institution: "NORTHSIDE SPINE CLINIC",
                                 accession: "A25010902"),
        views: [
            ViewSpec(level: VertebralSpan(covering: .t6, .t7), scene: .thoracicParasagittalCostotransverse,
                     centerMillimetres: -SpineScene.thoracicParasagittalCostotransverse.segmentMillimetres, arriveSeconds: 0),
            ViewSpec(level: VertebralSpan(covering: .t7, .t8), scene: .thoracicParasagittalCostotransverse, centerMillimetres: 0,
                     arriveSeconds: 3.9, moveSeconds: 0.8),
        ],
        needle: NeedleSpec(entrySide: .left, angleDegrees: 35, targetLateralMillimetres: 0,
                           targetDepthMillimetres: AnatomyScene.costotransverseDepth, startSeconds: 4.6, reachSeconds: 6.8),
        freezes: [FreezeSpec(startSeconds: 7.2, durationSeconds: 1.5)],
        tags: [
            TagSpec(seconds: 0.5, level: VertebralSpan(covering: .t6, .t7), structure: .costotransverseLigament, side: .right),
            TagSpec(seconds: 4.2, level: VertebralSpan(covering: .t7, .t8), structure: .costotransverseLigament, side: .right),
        ])

    /// A scanner's own export: 1148x624 at 61 fps in H.264, a width that is not a multiple
    /// of 16 or 32 (such sizes once overflowed a still's row buffer), grey furniture,
    /// curvilinear; transverse L3-L4, needle to the left L3-L4 facet, 2 freezes.
    public static let scannerExport = ClipSpec(
        name: "scanner-export-1148x624", fileName: "scanner-export-1148x624.mp4", container: "mp4", codec: "h264",
        width: 1148, height: 624, framesPerSecond: 61, frameCount: 366, probe: .curvilinear, presetText: "C5-1 MSK",
        depthMillimetres: 80, apertureMillimetres: 50, fieldOfViewDegrees: 60, colorUI: false, seed: 0x5A17_0005,
        identity: ScreenIdentity(patientName: "ROE^MARY", patientID: "NL0188-4410", date: "2024-04-11",
                                 clockStartSeconds: 10 * 3600 + 12 * 60 + 3.1, institution: "NORTHSIDE SPINE CLINIC",
                                 accession: "A24041107"),
        views: [ViewSpec(level: VertebralSpan(covering: .l3, .l4), scene: .lumbarTransverseInterlaminar, arriveSeconds: 0)],
        needle: NeedleSpec(entrySide: .right, angleDegrees: 35, targetLateralMillimetres: AnatomyScene.facetX,
                           targetDepthMillimetres: AnatomyScene.facetCapsuleDepth, startSeconds: 0.2, reachSeconds: 1.3),
        freezes: [FreezeSpec(startSeconds: 1.6, durationSeconds: 1.1), FreezeSpec(startSeconds: 3.9, durationSeconds: 1.2)],
        tags: [TagSpec(seconds: 0.3, level: VertebralSpan(covering: .l3, .l4), structure: .facetCapsule, side: .left)])
}
