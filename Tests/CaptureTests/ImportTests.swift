import Anatomy
import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

/// A clip of SampleData with its ground truth, and a fresh archive to import it into.
struct ImportFixture {
    static let sampleData = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData")

    let root: URL
    let archive: SQLiteArchive

    init() async throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-import-" + UUID().uuidString)
        archive = try SQLiteArchive(location: ArchiveLocation(root: root))
        try await archive.add(try Patient(id: PatientID("P-1"), familyName: "Doe", givenName: "Jane",
                                          birthDate: CalendarDate(year: 1971, month: 3, day: 2), sex: .female))
        // The clinic's physician and tech, whom the command line records when not told
        // (a record names people with accounts); they never sign in.
        try await archive.add(try Account(name: "dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"),
                                          passwordHash: "!"))
        try await archive.add(try Account(name: "sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam"), passwordHash: "!"))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    static func truth(_ name: String) throws -> GroundTruth {
        try GroundTruth(jsonData: Data(contentsOf: sampleData.appendingPathComponent(name + ".json")))
    }

    static func clip(_ truth: GroundTruth) -> String { sampleData.appendingPathComponent(truth.fileName).path }

    static func tags(_ truth: GroundTruth) throws -> [TagEvent] {
        try TagFile(parsing: truth.tagFileText, author: "sam").events
    }

    func options(_ truth: GroundTruth, again: Bool = false, snaps: [Double] = []) throws -> ClipImporter.Options {
        ClipImporter.Options(patient: try PatientID("P-1"), tags: try Self.tags(truth), startedAt: Date(timeIntervalSince1970: 1_710_000_000),
                             treatment: try TreatmentNumber(1, of: 4), physician: "dr.lee", tech: "sam", again: again, snapTimes: snaps)
    }

    /// Every file under the archive folder, relative to it, except the database's own.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &folder)
            if !folder.boolValue, !path.hasPrefix("archive.sqlite") { found.append(path) }
        }
        return found.sorted()
    }
}

@Suite("importing a clip: one still per freeze, tags from the tech's file, all or nothing")
struct ImportTests {
    @Test("each SampleData clip yields exactly one freeze still inside each ground-truth freeze, tagged by the script",
          arguments: ["lumbar-capture-640x480", "cervical-1280x720", "lumbar-1920x1080-60fps", "thoracic-frc-640x480", "scanner-export-1148x624"])
    func freezeStills(name: String) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth(name)
        let report = try await ClipImporter(archive: f.archive).importClip(ImportFixture.clip(truth), options: f.options(truth))
        #expect(report.session.status == .completed)
        #expect(report.counters.framesDecoded + report.counters.framesNotDecoded == truth.frameCount, "\(report.counters)")
        #expect(report.counters.packetsRecorded == report.counters.packets)
        let freezeStills = report.stills.filter { $0.reason == .freeze }
        #expect(freezeStills.count == truth.freezes.count)
        for (still, freeze) in zip(freezeStills.sorted { $0.time < $1.time }, truth.freezes) {
            let frame = Int((still.time * Double(truth.framesPerSecond)).rounded())
            #expect((freeze.firstFrame...freeze.lastFrame).contains(frame), "still at frame \(frame), freeze \(freeze.firstFrame)-\(freeze.lastFrame)")
            // The tag in force is the script's at that moment.
            let scripted = try #require(truth.tags.last { $0.startSeconds <= still.time + 1e-9 })
            #expect(still.tag?.site.span == scripted.level)
            #expect(still.tag?.structure == scripted.structure)
            #expect(still.tag?.site.laterality == scripted.side)
            #expect(still.colour == (truth.colorUI ? .rgb : .gray))
            #expect(still.width == truth.width && still.height == truth.height)
        }
        #expect(try await f.archive.tags(ofSession: report.session.id).count == truth.tags.count)
        // The recording is in the archive and plays to the end.
        let recording = f.root.appendingPathComponent(try #require(report.session.recording).value).path
        let source = try MediaSource(.file(recording))
        let decoder = try VideoDecoder(for: source)
        var frames = 0
        while let packet = try source.nextPacket() { frames += try decoder.decode(packet).count }
        frames += try decoder.flush().count
        #expect(frames == truth.frameCount)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("a still asked for at t is the frame on screen at t")
    func snapTimes() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("cervical-1280x720")
        let report = try await ClipImporter(archive: f.archive).importClip(ImportFixture.clip(truth), options: f.options(truth, snaps: [5.0, 5.02, 11.49]))
        let snaps = report.stills.filter { $0.reason == .snap }.sorted { $0.time < $1.time }
        // 5.0 and 5.02 show the same frame (150) and are stored once; 11.49 is frame 344.
        #expect(snaps.map(\.sourceFrame) == [150, 344])
        #expect(report.counters.duplicateStills >= 1)
    }

    @Test("the same file twice is refused unless --again, and the refusal writes nothing")
    func reimport() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("thoracic-frc-640x480")
        let importer = ClipImporter(archive: f.archive)
        _ = try await importer.importClip(ImportFixture.clip(truth), options: f.options(truth))
        let before = f.files()
        let error = await #expect(throws: ArchiveError.self) {
            try await importer.importClip(ImportFixture.clip(truth), options: f.options(truth))
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("already imported") == true && error?.remedy == .importAgain && error?.message.contains("--") == false)
        #expect(f.files() == before)
        _ = try await importer.importClip(ImportFixture.clip(truth), options: f.options(truth, again: true))
        #expect(try await f.archive.sessions(SessionFilter()).count == 2)
    }

    @Test("bad input leaves nothing behind: not a video, no such patient")
    func badInput() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let text = f.root.appendingPathComponent("notes.mp4").path
        try "not a video".write(toFile: text, atomically: true, encoding: .utf8)
        let truth = try ImportFixture.truth("thoracic-frc-640x480")
        let importer = ClipImporter(archive: f.archive)
        let notVideo = await #expect(throws: MediaError.self) { try await importer.importClip(text, options: f.options(truth)) }
        #expect(notVideo?.kind == .notMedia)
        try FileManager.default.removeItem(atPath: text)

        var stranger = try f.options(truth)
        stranger.patient = try PatientID("P-404")
        let noPatient = await #expect(throws: ArchiveError.self) { try await importer.importClip(ImportFixture.clip(truth), options: stranger) }
        #expect(noPatient?.message.contains("no patient P-404") == true && noPatient?.remedy == .addPatient)
        #expect(noPatient?.message.contains("needlelog") == false)

        // A scale no scanner has is refused before anything is written.
        var impossible = try f.options(truth)
        impossible.millimetresPerPixel = 11
        let badScale = await #expect(throws: ArchiveError.self) { try await importer.importClip(ImportFixture.clip(truth), options: impossible) }
        #expect(badScale?.kind == .invalid && badScale?.message.contains("0.01-10 mm per pixel") == true)
        #expect(try await f.archive.sessions(SessionFilter()).isEmpty)
        #expect(f.files().isEmpty)
    }

    @Test("the scanner's scale is stored with the imported session, by its tech, in the same write")
    func scaleWithImport() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("thoracic-frc-640x480")
        var options = try f.options(truth)
        options.millimetresPerPixel = 0.085
        let report = try await ClipImporter(archive: f.archive).importClip(ImportFixture.clip(truth), options: options)
        #expect(try await f.archive.scale(ofSession: report.session.id) == 0.085)
        let plain = try await ClipImporter(archive: f.archive).importClip(ImportFixture.clip(truth), options: f.options(truth, again: true))
        #expect(try await f.archive.scale(ofSession: plain.session.id) == nil)
    }

    @Test("damaged frames mid-stream are counted and skipped; the import goes on")
    func damagedFrames() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("lumbar-capture-640x480")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: ImportFixture.clip(truth)))
        // Wipe the start-of-image marker of a few JPEG frames in the middle, leaving the
        // container intact: those packets no longer decode.
        var damaged = 0
        var searchFrom = bytes.count / 3
        while damaged < 5, let marker = bytes.range(of: Data([0xFF, 0xD8, 0xFF]), in: searchFrom..<bytes.count) {
            for i in marker.lowerBound..<(marker.lowerBound + 600) { bytes[i] = 0 }
            damaged += 1
            searchFrom = marker.upperBound + 20_000
        }
        let path = f.root.appendingPathComponent("damaged.mkv").path
        try bytes.write(to: URL(fileURLWithPath: path))
        let report = try await ClipImporter(archive: f.archive).importClip(path, options: f.options(truth))
        #expect(report.counters.decodeErrors > 0)
        #expect(report.counters.framesDecoded + report.counters.decodeErrors >= truth.frameCount - 5)
        #expect(report.session.status == .completed)
    }
}
