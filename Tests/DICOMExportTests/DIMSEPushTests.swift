import DICOMExport
import DICOMNetwork
import Foundation
import Media
import Records
import Testing

/// A session filed under its RIS order, pushed to a real Orthanc's DICOM port with C-STORE,
/// and committed by it (storage commitment, its report on an association of Orthanc's own).
@Suite("DIMSE push and storage commitment to Orthanc")
struct DIMSEPushTests {
    static let order = try! ScheduledOrder(accessionNumber: "ACC0001", requestedProcedureID: "RP-ACC0001",
                                           requestedProcedureDescription: "US-guided facet joint injection L4-L5",
                                           studyInstanceUID: "1.2.826.0.1.3680043.10.543.1.1", scheduledStepID: "SPS-ACC0001",
                                           scheduledStepDescription: "Prolotherapy")

    /// The fixture's session, started from the worklist, exported.
    static func export(_ f: ExportFixture) async throws -> [URL] {
        try await f.archive.setOrder(order, ofSession: f.session.id)
        return try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out).map(\.url)
    }

    /// Orthanc, which sends its commitment reports to NeedleLog's listener, and a pusher to it.
    static func peers() async throws -> (OrthancServer, CommitmentListener, DIMSEPusher) {
        let listenPort = try OrthancServer.freePort()
        let orthanc = try await OrthancServer(modalities: ["needlelog": ["NEEDLELOG", "127.0.0.1", listenPort]])
        let listener = try await CommitmentListener.start(title: "NEEDLELOG", host: "127.0.0.1", port: listenPort)
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"))
        return (orthanc, listener, pusher)
    }

    @Test("a session from the worklist exports under the RIS's study and accession, with its request, valid for dciodvfy")
    func filedUnderTheOrder() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let files = try await Self.export(f)
        #expect(files.count == 5)
        for file in files {
            let parts = try PartTenFile.parts(of: Data(contentsOf: file))
            let set = try DataSet(decoding: parts.dataSet, explicitVR: true)
            #expect(set.string(.studyInstanceUID) == "1.2.826.0.1.3680043.10.543.1.1")
            #expect(set.string(.accessionNumber) == "ACC0001")
            let request = try #require(set[.requestAttributesSequence]?.items?.first, "\(file.lastPathComponent)")
            #expect(request.string(.requestedProcedureID) == "RP-ACC0001" && request.string(.scheduledProcedureStepID) == "SPS-ACC0001")
            let verdict = try Verdict.of(file)
            #expect(verdict.errors.isEmpty, "\(file.lastPathComponent):\n\(verdict.output)")
        }
    }

    @Test("five objects stored by C-STORE on one association, every one committed; a second push duplicates nothing")
    func pushAndCommit() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let files = try await Self.export(f)
        let (orthanc, listener, pusher) = try await Self.peers()
        defer { orthanc.stop() }
        var report = try await pusher.push(files)
        #expect(report.associations == 1)
        #expect(report.results.map(\.status) == Array(repeating: .stored, count: 5), "\(report.results)")
        try await pusher.commit(&report, listener: listener, within: .seconds(20))
        #expect(report.results.map(\.commitment) == Array(repeating: .committed, count: 5), "\(report.results)")
        #expect(try await orthanc.instanceCount() == 5)
        #expect(try await orthanc.findInstances(["AccessionNumber": "ACC0001"]).count == 5)
        #expect(try await orthanc.findInstances(["StudyInstanceUID": "1.2.826.0.1.3680043.10.543.1.1"]).count == 5)

        var again = try await pusher.push(files)
        #expect(again.count(.refused) == 0 && again.count(.notSent) == 0)
        try await pusher.commit(&again, listener: listener, within: .seconds(20))
        #expect(again.count(.committed) == 5)
        #expect(try await orthanc.instanceCount() == 5, "the same UIDs: nothing duplicated")
        await listener.stop()
    }

    @Test("an instance the archive never got is reported failed, with PS3.3's reason; the others committed")
    func commitmentFailure() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let files = try await Self.export(f)
        let (orthanc, listener, pusher) = try await Self.peers()
        defer { orthanc.stop() }
        var report = try await pusher.push(Array(files.prefix(2)))
        // As if a third had been stored: Orthanc has no such instance.
        var ghost = report.results[0]
        ghost.file = "ghost.dcm"
        ghost.sopInstanceUID = "2.25.1234567890"
        report.results.append(ghost)
        try await pusher.commit(&report, listener: listener, within: .seconds(20))
        #expect(report.results.map(\.commitment) == [.committed, .committed, .failed])
        #expect(report.results[2].commitmentDetail == "no such object instance (the archive does not hold it)")
        await listener.stop()
    }

    @Test("a report that never comes leaves every instance pending, saying so")
    func reportNeverComes() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let files = try await Self.export(f)
        // Orthanc sends its report to a port where nothing listens.
        let orthanc = try await OrthancServer(modalities: ["needlelog": ["NEEDLELOG", "127.0.0.1", try OrthancServer.freePort()]])
        defer { orthanc.stop() }
        let listener = try await CommitmentListener.start(title: "NEEDLELOG", host: "127.0.0.1", port: try OrthancServer.freePort())
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"))
        var report = try await pusher.push(Array(files.prefix(1)))
        try await pusher.commit(&report, listener: listener, within: .seconds(2))
        #expect(report.results.map(\.commitment) == [.pending])
        #expect(report.results[0].commitmentDetail?.contains("no report from ORTHANC@127.0.0.1") == true)
        await listener.stop()
    }
}

/// The recording around a still as a DICOM cine loop: valid for dciodvfy, H.264 at the level
/// its size and rate need, and stored by Orthanc over C-STORE in its own transfer syntax.
@Suite("cine loops as DICOM video")
struct CineLoopTests {
    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleData")

    @Test("levels: 4.1 where it holds, 4.2 for 1080p60, scaled only when neither does", arguments: [
        (1148, 624, 61.0, 1148, 624, "4.1"), (1920, 1080, 60.0, 1920, 1080, "4.2"), (1280, 720, 30.0, 1280, 720, "4.1"),
        (800, 600, 25.0, 800, 600, "4.1"), (3840, 2160, 30.0, 1836, 1032, "4.1"),
    ] as [(Int, Int, Double, Int, Int, String)])
    func levels(_ width: Int, _ height: Int, _ rate: Double, _ expectedWidth: Int, _ expectedHeight: Int, _ level: String) {
        let plan = CineLoop.plan(width: width, height: height, rate: rate)
        #expect(plan.level == level, "\(plan)")
        #expect(plan.width == expectedWidth && plan.height == expectedHeight, "\(plan)")
        let blocks: Int = ((plan.width + 15) / 16) * ((plan.height + 15) / 16)
        #expect(blocks <= 8704)
    }

    @Test("three seconds around a still: valid, every frame there, pushed to Orthanc as video")
    func loopToOrthanc() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let record = try #require(try await f.exporter().records(ofSession: f.session.id).first { $0.still.id == f.needleStill.id })
        let recording = Self.sampleData.appendingPathComponent(ExportFixture.spec.fileName)
        let fps = Double(ExportFixture.spec.framesPerSecond)
        let start = max(0, record.still.time - 2), end = record.still.time + 1
        let written = try CineLoopImage.write(around: record, recording: recording, start: start, end: end, to: f.out)
        #expect(abs(written.facts.frames - Int(((end - start) * fps).rounded())) <= 1, "\(written.facts)")
        #expect(written.facts.transferSyntax == "1.2.840.10008.1.2.4.102" && written.facts.width == ExportFixture.spec.width)
        #expect(!written.facts.copied, "an MJPEG recording is encoded as H.264")
        let verdict = try Verdict.of(written.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")
        let parts = try PartTenFile.parts(of: Data(contentsOf: written.url))
        #expect(parts.sopClassUID == CineLoopImage.sopClass && parts.transferSyntaxUID == "1.2.840.10008.1.2.4.102")
        let header = try PartTenBytes(written.url)
        #expect(header.headerContains("YBR_PARTIAL_420") && header.headerContains("ISO_14496_10"))

        let orthanc = try await OrthancServer()
        defer { orthanc.stop() }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"))
        let report = try await pusher.push([written.url])
        #expect(report.results.map(\.status) == [.stored], "\(report.results)")
        let ids = try await orthanc.findInstances(["SOPInstanceUID": written.sopInstanceUID])
        let id = try #require(ids.first)
        let tags = try #require(try await orthanc.get("instances/\(id)/simplified-tags") as? [String: Any])
        #expect(tags["NumberOfFrames"] as? String == String(written.facts.frames))
    }

    @Test("an H.264 recording that fits a DICOM transfer syntax is copied, not encoded: from its keyframe, every frame bit for bit, valid",
          arguments: [("cervical-1280x720.mp4", 30.0, "1.2.840.10008.1.2.4.102"), ("lumbar-1920x1080-60fps.mp4", 60.0, "1.2.840.10008.1.2.4.104")])
    func streamCopy(_ clip: String, _ fps: Double, _ syntax: String) async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let record = try #require(try await f.exporter().records(ofSession: f.session.id).first)
        let recording = Self.sampleData.appendingPathComponent(clip)
        let (start, end) = (2.5, 4.0)
        let written = try CineLoopImage.write(around: record, recording: recording, start: start, end: end, to: f.out)
        let facts = written.facts
        #expect(facts.copied && facts.transferSyntax == syntax, "\(facts)")
        // A copy starts at the keyframe at or before the start asked, and runs to the end.
        #expect(facts.start <= start && facts.start > start - 10, "\(facts)")
        // Every frame decoded by `end` is in, and the B-frames shown before the last of them:
        // a few frames past `end` (as many as the stream reorders).
        let expected = Int(((end - facts.start) * fps).rounded())
        #expect((expected - 1...expected + 8).contains(facts.frames), "\(facts)")
        let verdict = try Verdict.of(written.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")

        // The video inside decodes to exactly the recording's frames from that keyframe.
        let set = try DataSet(decoding: try PartTenFile.parts(of: Data(contentsOf: written.url)).dataSet, explicitVR: true)
        guard case .fragments(let fragments)? = set[.pixelData]?.value else {
            Issue.record("the pixel data is not encapsulated")
            return
        }
        let mp4 = f.out.appendingPathComponent("inside.mp4")
        try Data(fragments.joined()).write(to: mp4)
        let inside = try Self.decode(mp4.path, from: 0, limit: facts.frames + 5)
        let original = try Self.decode(recording.path, from: facts.start, limit: facts.frames)
        #expect(inside.count == facts.frames)
        #expect(inside == original, "every frame bit for bit")
    }

    /// A hash of each frame's luma from `start`, at most `limit` frames.
    static func decode(_ path: String, from start: Double, limit: Int) throws -> [Int] {
        let source = try MediaSource(.file(path))
        try source.seek(to: start)
        let decoder = try VideoDecoder(for: source)
        let converter = PixelConverter()
        var frames: [Int] = []
        func take(_ decoded: [Frame]) throws {
            for frame in decoded where (frame.time ?? 0) >= start - 0.001 && frames.count < limit {
                frames.append(try converter.image(from: frame, format: .gray8).pixels.hashValue)
            }
        }
        while frames.count < limit, let packet = try source.nextPacket() { try take(try decoder.decode(packet)) }
        try take(try decoder.flush())
        return frames
    }
}
