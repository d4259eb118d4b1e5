import Archive
import DICOMExport
import DICOMNetwork
import Foundation
import Records
import Testing
import Workflows

/// MPPS (issue 15 item 3) against pynetdicom's MPPS SCP (Tests/DICOMNetworkTests/Peers/mpps_scp.py):
/// a session's step IN PROGRESS at start and COMPLETED at stop with its images; a RIS that
/// is down, refuses, aborts or never answers gets the messages later from the archive's
/// outbox, across a restart; a crash's session is DISCONTINUED at the next start.
@Suite("procedure steps reported to the RIS (MPPS)", .serialized)
struct ProcedureStepTests {
    @Test("a recorded session: IN PROGRESS at start with patient and order, COMPLETED at stop with each series and image the exports will carry")
    func recordedSession() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let ris = try await MPPSPeer.start()
        defer { ris.stop() }
        let reporter = f.reporter(ris.port)
        let sending = Task { await reporter.run() }
        defer { sending.cancel() }
        let desk = CaptureDesk(archive: f.archive, input: .file(DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path),
                               realTime: true, procedureSteps: reporter)
        let order = try ScheduledOrder(accessionNumber: "ACC-7781", requestedProcedureID: "RP-55", requestedProcedureDescription: "Prolotherapy L-spine",
                                       studyInstanceUID: "1.2.826.0.1.3680043.8.498.1001", scheduledStepID: "SPS-9", scheduledStepDescription: "US-guided injection")
        let started = try await desk.start(StartRequest(patient: "P-7", order: order))
        let session = try #require(UUID(uuidString: started.session ?? ""))
        let created = try await ris.waitForLines(1)
        try await Task.sleep(for: .milliseconds(600))
        _ = try await desk.snap(pressedAt: Date())
        _ = try await desk.tag(TagRequest(site: "L4-L5", structure: "facet joint capsule", side: "left"), author: "alex")
        try await Task.sleep(for: .milliseconds(400))
        _ = try await desk.snap(pressedAt: Date())
        try await Task.sleep(for: .milliseconds(600))
        _ = try await desk.stop()
        let lines = try await ris.waitForLines(2)

        let uid = ProcedureStepReport.instanceUID(session)
        let create = created[0]
        #expect(create.message == "N-CREATE" && create.instance == uid && create.status == 0)
        #expect(create.dataset["PatientName"] as? String == "Müller-Łukasiewicz^Zoë")
        #expect(create.dataset["PatientID"] as? String == "P-7")
        #expect(create.dataset["PatientBirthDate"] as? String == "19640229")
        #expect(create.dataset["PerformedProcedureStepStatus"] as? String == "IN PROGRESS")
        #expect(create.dataset["Modality"] as? String == "US")
        #expect(create.dataset["PerformedStationAETitle"] as? String == "NEEDLELOG")
        let step = try #require((create.dataset["ScheduledStepAttributesSequence"] as? [[String: Any]])?.first)
        #expect(step["AccessionNumber"] as? String == "ACC-7781")
        #expect(step["StudyInstanceUID"] as? String == "1.2.826.0.1.3680043.8.498.1001")
        #expect(step["RequestedProcedureID"] as? String == "RP-55")
        #expect(step["ScheduledProcedureStepID"] as? String == "SPS-9")

        let set = lines[1]
        #expect(set.message == "N-SET" && set.instance == uid && set.status == 0)
        #expect(set.dataset["PerformedProcedureStepStatus"] as? String == "COMPLETED")
        #expect((set.dataset["PerformedProcedureStepEndTime"] as? String)?.count ?? 0 >= 6)
        // Exactly the images the exports make: one series per body part, UIDs from the scheme.
        let stills = try await f.archive.stills(ofSession: session)
        #expect(stills.count >= 2)
        let expected = Dictionary(grouping: stills) { UIDScheme.archive.imageSeries(session, bodyPart: $0.tag?.site.bodyPartExamined.definedTerm) }
            .mapValues { Set($0.map { UIDScheme.archive.image($0.id, tag: $0.tag?.description) }) }
        let series = try #require(set.dataset["PerformedSeriesSequence"] as? [[String: Any]])
        var reported: [String: Set<String>] = [:]
        for item in series {
            let images = (item["ReferencedImageSequence"] as? [[String: Any]]) ?? []
            #expect(images.allSatisfy { $0["ReferencedSOPClassUID"] as? String == DICOMUID.ultrasoundImageStorage })
            reported[item["SeriesInstanceUID"] as? String ?? ""] = Set(images.compactMap { $0["ReferencedSOPInstanceUID"] as? String })
            #expect(item["ProtocolName"] as? String == "US-guided spine injection")
            // The staff as the exports name them: people from their accounts.
            #expect(item["PerformingPhysicianName"] as? String == "Oak^Rowan^^^MD")
            #expect(item["OperatorsName"] as? String == "Moreau^Alex")
        }
        #expect(reported == expected)
        #expect(!expected.isEmpty)
        #expect(try reporter.outbox.letters(in: .queued).isEmpty)
        #expect(try reporter.outbox.letters(in: .sent).map(\.kind) == ["N-CREATE", "N-SET"])
    }

    @Test("a RIS that is not there: both messages wait in the archive, and a new reporter (a restart) sends them in order once it is up")
    func peerDownThenUp() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let port = Int.random(in: 45_001...50_000)
        let session = try await f.endedSession(status: .completed, stills: 3)
        let before = f.reporter(port)
        await before.started(session.started, order: nil)
        await before.ended(session.ended)
        let failed = await before.deliver()
        #expect(failed.sent.isEmpty)
        #expect(failed.problem?.contains("2 procedure step messages wait") == true)
        #expect(failed.problem?.contains("127.0.0.1:\(port)") == true)
        #expect(try before.outbox.letters(in: .queued).map(\.summary) == ["IN PROGRESS", "COMPLETED, 3 images"])
        // What the tech page shows meanwhile.
        let backlog = try #require(before.backlog)
        #expect(backlog.waiting == 2 && backlog.ris == "RIS@127.0.0.1:\(port)" && backlog.problem.contains("127.0.0.1:\(port)"), "\(backlog)")
        let desk = CaptureDesk(archive: f.archive, input: .file(DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path),
                               realTime: true, procedureSteps: before)
        #expect(await desk.status().ris == backlog, "the tech page's status carries it")

        let ris = try await MPPSPeer.start(port: port)
        defer { ris.stop() }
        let after = f.reporter(port)
        let delivered = await after.deliver()
        #expect(delivered.sent.count == 2 && delivered.problem == nil && after.backlog == nil)
        let lines = try await ris.waitForLines(2)
        #expect(lines.map(\.message) == ["N-CREATE", "N-SET"])
        #expect(lines.allSatisfy { $0.status == 0 })
        #expect(try after.outbox.letters(in: .queued).isEmpty)
        // Two body parts, two image series: L4-L5's two stills, then L5-S1's one.
        let series = (lines[1].dataset["PerformedSeriesSequence"] as? [[String: Any]]) ?? []
        #expect(series.map { ($0["ReferencedImageSequence"] as? [[String: Any]])?.count ?? 0 } == [2, 1])
        #expect(series.map { $0["SeriesDescription"] as? String ?? "" } == ["NeedleLog stills LSPINE", "NeedleLog stills LSSPINE"])
    }

    @Test("a RIS that refuses the association, aborts on N-CREATE or never answers: the messages stay queued, the problem says which",
          arguments: [("reject", "rejected"), ("abort-on-create", "abort"), ("silent", "did not send")])
    func badPeers(_ behaviour: String, _ words: String) async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let ris = try await MPPSPeer.start(behaviour: behaviour)
        defer { ris.stop() }
        let session = try await f.endedSession(status: .completed, stills: 0)
        let reporter = f.reporter(ris.port, timeout: .seconds(1))
        await reporter.started(session.started, order: nil)
        await reporter.ended(session.ended)
        let delivery = await reporter.deliver()
        #expect(delivery.sent.isEmpty && delivery.refused.isEmpty)
        #expect(delivery.problem?.localizedCaseInsensitiveContains(words) == true, "\(delivery.problem ?? "no problem")")
        #expect(try reporter.outbox.letters(in: .queued).count == 2)
    }

    @Test("a re-sent N-CREATE the RIS already holds counts as sent; an N-SET it refuses is set aside with its reason and not sent again")
    func duplicateAndRefusal() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let ris = try await MPPSPeer.start(behaviour: "fail-set")
        defer { ris.stop() }
        let session = try await f.endedSession(status: .completed, stills: 1)
        let reporter = f.reporter(ris.port)
        await reporter.started(session.started, order: nil)
        #expect(await reporter.deliver().sent.count == 1)
        // The same N-CREATE again, as after an answer lost on the way.
        let sent = try #require(try reporter.outbox.letters(in: .sent).first)
        try reporter.outbox.enqueue(session: sent.session, kind: sent.kind, summary: sent.summary, payload: sent.payload)
        await reporter.ended(session.ended)
        let delivery = await reporter.deliver()
        #expect(delivery.sent.count == 1 && delivery.refused.count == 1 && delivery.problem == nil)
        let lines = try await ris.waitForLines(3)
        #expect(lines.map(\.status) == [0, 0x0111, 0x0110])
        let refused = try reporter.outbox.letters(in: .refused)
        #expect(refused.map(\.kind) == ["N-SET"])
        #expect(refused.first?.refusal?.contains("processing failure (0x110): fail-set behaviour") == true)
        #expect(try reporter.outbox.letters(in: .queued).isEmpty)
        #expect(await reporter.deliver() == .init())
    }

    @Test("a session left recording by a crash: marked interrupted at start-up, its step DISCONTINUED with CID 9300's reason")
    func crashDiscontinues() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let ris = try await MPPSPeer.start()
        defer { ris.stop() }
        let session = try ProcedureSession(patientID: PatientID("P-7"), startedAt: Date().addingTimeInterval(-300), physician: "dr.oak", tech: "alex",
                                                  treatment: try TreatmentNumber(1, of: 3))
        try await f.archive.add(session)
        let reporter = f.reporter(ris.port)
        await reporter.started(session, order: nil)
        await reporter.catchUp()   // still recording: nothing to end yet
        #expect(await reporter.deliver().sent.count == 1)
        // The restart: the session is marked interrupted, a new reporter catches up.
        _ = try await f.archive.markInterruptedSessions()
        let restarted = f.reporter(ris.port)
        await restarted.catchUp()
        #expect(await restarted.deliver().sent.count == 1)
        let lines = try await ris.waitForLines(2)
        #expect(lines[1].dataset["PerformedProcedureStepStatus"] as? String == "DISCONTINUED")
        let reason = (lines[1].dataset["PerformedProcedureStepDiscontinuationReasonCodeSequence"] as? [[String: Any]])?.first
        #expect(reason?["CodeValue"] as? String == "110513")
        #expect(reason?["CodingSchemeDesignator"] as? String == "DCM")
        // Caught up once: a second catch-up queues nothing more.
        await restarted.catchUp()
        #expect(try restarted.outbox.letters(in: .queued).isEmpty)
    }
}

extension ProcedureStepTests {
    struct Fixture {
        let root: URL
        let archive: SQLiteArchive

        init() async throws {
            root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-mpps-" + UUID().uuidString)
            archive = try SQLiteArchive(location: ArchiveLocation(root: root))
            try await archive.add(try Patient(id: PatientID("P-7"), familyName: "Müller-Łukasiewicz", givenName: "Zoë",
                                              birthDate: CalendarDate(year: 1964, month: 2, day: 29), sex: .female))
            try await DeskFixture.addStaff(to: archive)
        }

        func reporter(_ port: Int, timeout: Duration = .seconds(5)) -> ProcedureStepReporter {
            ProcedureStepReporter(peer: try! ApplicationEntity(title: "RIS", host: "127.0.0.1", port: port), callingTitle: "NEEDLELOG",
                                  archive: archive, timeout: timeout)
        }

        /// A session as it was at its start, and as it ended with `stills` stills.
        func endedSession(status: ProcedureSession.Status, stills: Int) async throws -> (started: ProcedureSession, ended: ProcedureSession) {
            let session = try ProcedureSession(patientID: PatientID("P-7"), startedAt: Date().addingTimeInterval(-120), physician: "dr.oak", tech: "alex",
                                                  treatment: try TreatmentNumber(1, of: 3))
            try await archive.add(session)
            // L4-L5 (LSPINE) and L5-S1 (LSSPINE) in turn: stills of two image series.
            for index in 0..<stills {
                _ = try await ReviewFixture.still(archive, session.id, time: Double(index + 1), tag: index.isMultiple(of: 2) ? "L4-L5" : "L5-S1",
                                                  structure: "facet joint capsule", shade: 40 + index)
            }
            let ended = try await archive.endSession(session.id, as: status, reason: nil, at: Date())
            return (session, ended)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }
}

/// pynetdicom's MPPS SCP (from tools/setup's venv) on a loopback port, logging each message.
struct MPPSPeer {
    struct Line {
        let message: String
        let instance: String
        let status: Int?
        let dataset: [String: Any]
    }

    let process: Process
    let port: Int
    let log: URL

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DICOMNetworkTests/Peers/mpps_scp.py")

    static func start(behaviour: String = "ok", port fixed: Int? = nil) async throws -> MPPSPeer {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mpps-\(UUID().uuidString).jsonl")
        for _ in 0..<5 {
            let port = fixed ?? Int.random(in: 45_001...50_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/opt/needlelog-python/bin/python")
            process.arguments = [script.path, "--port", String(port), "--ae-title", "RIS", "--log", log.path, "--behaviour", behaviour]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let entity = try ApplicationEntity(title: "RIS", host: "127.0.0.1", port: port)
            for _ in 0..<100 where process.isRunning {
                // Up once it answers an association, even with a rejection.
                do {
                    _ = try await Association.run(to: entity, callingTitle: "PROBE", services: [PresentationService(PresentationService.verification)],
                                                  timeout: .seconds(1)) { _ in true }
                    return MPPSPeer(process: process, port: port, log: log)
                } catch let error as DICOMNetworkError where error.kind == .rejected {
                    return MPPSPeer(process: process, port: port, log: log)
                } catch {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            // Only a live process: with pid_max 32768, a dead one's pid may be another's by now.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw DICOMNetworkError(.unreachable, "mpps_scp.py did not start (pynetdicom in /opt/needlelog-python, from tools/setup)")
    }

    /// The first `count` messages it logged, waiting up to 10 s for them.
    func waitForLines(_ count: Int) async throws -> [Line] {
        try await waitForLines("\(count) messages") { $0.count >= count }.prefix(count).map(\.self)
    }

    /// Every message logged once `done` holds of them, waiting up to 10 s.
    func waitForLines(_ what: String, until done: ([Line]) -> Bool) async throws -> [Line] {
        for _ in 0..<100 {
            let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { text -> Line? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
                return Line(message: object["message"] as? String ?? "", instance: object["instance"] as? String ?? "",
                            status: object["status"] as? Int, dataset: object["dataset"] as? [String: Any] ?? [:])
            }
            if done(lines) { return lines }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DICOMNetworkError(.timeout, "the MPPS SCP did not log \(what) in 10 s")
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}

extension DaemonProcessTests {
    @Test("needlelog daemon --mpps: IN PROGRESS at start; killed mid-recording, the next start reports it DISCONTINUED; a stopped session COMPLETED")
    func daemonReportsProcedureSteps() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let ris = try await MPPSPeer.start()
        defer { ris.stop() }
        let mpps = ["--mpps", "RIS@127.0.0.1:\(ris.port)", "--ae-title", "US-ROOM2"]
        var (daemon, port, _) = try Self.launch(archive: f.root, clip: "cervical-1280x720.mp4", extra: mpps)
        defer { endChild(daemon) }
        var token = try Self.token(f.root)
        #expect(try await request(port, "session/start", body: #"{"patient":"P-1"}"#, token: token).0 == 200)
        let created = try await ris.waitForLines(1)
        #expect(created[0].message == "N-CREATE" && created[0].dataset["PerformedStationAETitle"] as? String == "US-ROOM2")
        kill(daemon.processIdentifier, SIGKILL)   // a crash: no end is queued
        daemon.waitUntilExit()

        (daemon, port, _) = try Self.launch(archive: f.root, clip: "cervical-1280x720.mp4", extra: mpps)
        token = try Self.token(f.root)
        // Killed between the RIS's answer and the move to sent/, the N-CREATE goes again (0x0111,
        // taken as sent) before the N-SET.
        let restarted = try await ris.waitForLines("the N-SET") { $0.contains { $0.message == "N-SET" } }
        let discontinued = try #require(restarted.first { $0.message == "N-SET" })
        #expect(discontinued.instance == created[0].instance)
        #expect(discontinued.dataset["PerformedProcedureStepStatus"] as? String == "DISCONTINUED")
        #expect(restarted.allSatisfy { $0.instance == created[0].instance && ($0.status == 0 || ($0.message == "N-CREATE" && $0.status == 0x0111)) })

        #expect(try await request(port, "session/start", body: #"{"patient":"P-1"}"#, token: token).0 == 200)
        try await Task.sleep(for: .seconds(1))
        #expect(try await request(port, "session/stop", body: "{}", token: token).0 == 200)
        let lines = try await ris.waitForLines("the second session") { $0.count >= restarted.count + 2 }.dropFirst(restarted.count)
        #expect(lines.first?.message == "N-CREATE" && lines.first?.instance != created[0].instance)
        #expect(lines.last?.message == "N-SET" && lines.last?.dataset["PerformedProcedureStepStatus"] as? String == "COMPLETED")
        #expect(lines.allSatisfy { $0.status == 0 })
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }
}
