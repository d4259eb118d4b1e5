import Anatomy
import Archive
import DICOMExport
import Foundation
import Media
import Records
import SampleKit
import Testing

/// A temporary archive holding one session of the SampleData patient of
/// `lumbar-capture-640x480` (DOE^JANE, NL0042-7731): stills rendered from that clip's
/// scanner screen, so their header band carries her burned-in name, ID and date, and
/// a needle drawn on the freeze still from the clip's ground truth.
final class ExportFixture: @unchecked Sendable {
    static let spec = ClipSpec.lumbarCapture
    /// Rendering sets up textures once; every test shares the screen.
    static let screen = ScannerScreen(spec: spec)
    static var truth: GroundTruth { screen.groundTruth }
    /// Inside the second freeze, after the needle reached its target.
    static let freezeFrame = 270
    static let birthDate = try! CalendarDate(year: 1971, month: 3, day: 2)

    let root: URL
    let out: URL
    let archive: SQLiteArchive
    let patient: Patient
    let session: ProcedureSession
    /// Grey, right L5-S1 facet capsule, needle drawn.
    private(set) var needleStill: Still!
    /// Grey, midline L4-L5 interspinous ligament, no needle.
    private(set) var plainStill: Still!
    /// RGB, right L5-S1 facet capsule, needle drawn (exported as a Color Softcopy Presentation State).
    private(set) var colourStill: Still!
    private(set) var annotations: [UUID: NeedleAnnotation] = [:]

    init() async throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-dicom-" + UUID().uuidString)
        root = base.appendingPathComponent("archive")
        out = base.appendingPathComponent("out")
        archive = try SQLiteArchive(location: ArchiveLocation(root: root))
        let truth = Self.truth
        let names = truth.patientName.split(separator: "^").map(String.init)
        patient = try Patient(id: PatientID(truth.patientID), familyName: names[0], givenName: names[1],
                              birthDate: Self.birthDate, sex: .female)
        try await archive.add(patient)
        session = try ProcedureSession(patientID: patient.id, startedAt: Date(timeIntervalSince1970: 1_710_409_277),
                                       physician: "dr.lee", tech: "sam", region: .lumbar, indication: "chronic low back pain",
                                       treatment: TreatmentNumber(2, of: 6))
        try await archive.add(session)
        plainStill = try await addStill(frame: 60, site: "L4-L5", side: .midline, structure: .interspinousLigament, colour: .gray)
        needleStill = try await addStill(frame: Self.freezeFrame, site: "L5-S1", side: .right, structure: .facetCapsule, colour: .gray)
        colourStill = try await addStill(frame: Self.freezeFrame + 1, site: "L5-S1", side: .right, structure: .facetCapsule, colour: .rgb)
        for still in [needleStill!, colourStill!] { annotations[still.id] = try Self.needle(on: still) }
    }

    var base: URL { root.deletingLastPathComponent() }

    func remove() { try? FileManager.default.removeItem(at: base) }

    /// The exporter the command builds, with the fixture's needles in place of the archive's history.
    func exporter() -> DICOMExporter {
        let annotations = self.annotations
        return DICOMExporter(archive: archive) { annotations[$0] }
    }

    /// A rendered frame of the clip as the still store keeps it.
    static func frame(_ index: Int, colour: Still.Colour) throws -> Image {
        let rgb = try Image(width: spec.width, height: spec.height, format: .rgb24, pixels: screen.render(frame: index))
        return colour == .gray ? rgb.grayscale() : rgb
    }

    private func addStill(frame: Int, site: String, side: Laterality, structure: TargetStructure, colour: Still.Colour) async throws -> Still {
        let image = try Self.frame(frame, colour: colour)
        let tag = SiteTag(site: try AnatomicSite(parsing: site).with(side), structure: structure.id)
        let draft = StillDraft(sessionID: session.id, time: Double(frame) / 30, sourceFrame: frame, tag: tag, reason: .freeze,
                               width: image.width, height: image.height, colour: colour,
                               createdAt: session.startedAt.addingTimeInterval(Double(frame) / 30 + 0.2))
        return try await archive.addStill(draft, png: PNG.encode(image))
    }

    /// The needle where the ground truth has it at the freeze frame, aimed at its target.
    static func needle(on still: Still) throws -> NeedleAnnotation {
        let needle = try #require(truth.needle[freezeFrame], "the clip shows a needle at frame \(freezeFrame)")
        let target = try #require(truth.needleTarget)
        return try NeedleAnnotation(stillID: still.id, revision: 1, entry: ImagePoint(x: needle.entry.x, y: needle.entry.y),
                                    tip: ImagePoint(x: needle.tip.x, y: needle.tip.y), target: ImagePoint(x: target.x, y: target.y),
                                    millimetresPerPixel: truth.mmPerPixel, author: "dr.lee",
                                    createdAt: Date(timeIntervalSince1970: 1_710_500_000))
    }
}

extension AnatomicSite {
    func with(_ side: Laterality) -> AnatomicSite {
        var copy = self
        copy.laterality = side
        return copy
    }
}
