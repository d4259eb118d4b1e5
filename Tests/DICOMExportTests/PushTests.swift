import DICOMExport
import Foundation
import Testing

@Suite("pushing to a real Orthanc: stored, found by body part and patient, no duplicates, clear errors", .serialized)
struct PushTests {
    @Test("a pushed session is found by BodyPartExamined and by PatientID, and a second push adds nothing")
    func pushAndFind() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let orthanc = try await OrthancServer()
        defer { orthanc.stop() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        _ = try ExportWriter().writeDICOM(records, to: f.out)
        let files = try PACSPusher.files(in: [f.out.path])
        // Three images, the grey still's GSPS and the RGB still's CSPS.
        #expect(files.count == 5)

        let pusher = try PACSPusher(server: orthanc.url)
        let first = try await pusher.push(files)
        #expect(first.stored == 5 && first.alreadyStored == 0 && first.refused.isEmpty, "\(first.refused)")
        #expect(try await orthanc.instanceCount() == 5)
        // Orthanc stored the colour presentation state as one.
        #expect(try await orthanc.findInstances(["SOPClassUID": DICOMUID.colorSoftcopyPresentationStateStorage]).count == 1)

        // The two L5-S1 stills are lumbo-sacral, the L4-L5 one lumbar.
        #expect(try await orthanc.findInstances(["BodyPartExamined": "LSSPINE"]).count == 2)
        #expect(try await orthanc.findInstances(["BodyPartExamined": "LSPINE"]).count == 1)
        // Three images and the two needles' presentation states belong to the patient.
        #expect(try await orthanc.findInstances(["PatientID": f.patient.id.value]).count == 5)

        let second = try await pusher.push(files)
        #expect(second.alreadyStored == 5 && second.stored == 0)
        #expect(try await orthanc.instanceCount() == 5)

        // Exporting again and pushing again still adds nothing: same UIDs.
        let again = f.base.appendingPathComponent("again")
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: again)
        let third = try await pusher.push(try PACSPusher.files(in: [again.path]))
        #expect(third.alreadyStored == 5)
        #expect(try await orthanc.instanceCount() == 5)
    }

    @Test("an unreachable server is retried, then named in the error with what to check")
    func unreachable() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        let port = try OrthancServer.freePort()
        let pusher = try PACSPusher(server: URL(string: "http://127.0.0.1:\(port)")!, attempts: 3, firstDelay: .milliseconds(50))
        let started = Date()
        do {
            _ = try await pusher.push(try PACSPusher.files(in: [f.out.path]))
            Issue.record("a push to a closed port succeeded")
        } catch let error as DICOMExportError {
            #expect(error.kind == .server)
            #expect(error.message.contains("127.0.0.1:\(port)") && error.message.contains("after 3 tries")
                    && error.message.contains("check the PACS's address") && error.remedy == .checkServer, "\(error.message)")
        }
        // Two waits: 50 ms then 100 ms.
        #expect(Date().timeIntervalSince(started) >= 0.15)
    }

    @Test("a file Orthanc refuses is reported with Orthanc's reason, and the rest are stored")
    func refusedFile() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let orthanc = try await OrthancServer()
        defer { orthanc.stop() }
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        var files = try PACSPusher.files(in: [f.out.path])
        // A Part 10 preamble and marker, then nothing Orthanc can parse.
        let broken = f.base.appendingPathComponent("broken.dcm")
        try (Data(count: 128) + Data("DICM".utf8) + Data(repeating: 0xFF, count: 64)).write(to: broken)
        files.insert(broken, at: 0)
        let report = try await PACSPusher(server: orthanc.url, attempts: 2, firstDelay: .milliseconds(10)).push(files)
        #expect(report.refused.count == 1 && report.refused.first?.file == broken)
        #expect(report.refused.first?.reason.contains("HTTP 400") == true, "\(report.refused)")
        #expect(report.stored == 5)
    }

    @Test("push arguments that cannot work are refused before anything is sent")
    func badArguments() throws {
        #expect(throws: DICOMExportError.self) { try PACSPusher(server: URL(string: "ftp://pacs")!) }
        let missing = "/nonexistent/needlelog-\(UUID().uuidString)"
        do {
            _ = try PACSPusher.files(in: [missing])
            Issue.record("a missing folder was accepted")
        } catch {
            #expect(error.message.contains("does not exist"))
        }
    }
}
