import Archive
import DICOMExport
import DICOMNetwork
import Foundation
import Records
import Testing
import Workflows

/// A session sent to the PACS as the session page sends it (issue 15 item 4): exported,
/// pushed to a real Orthanc's DICOM port on one association, committed by it, and the
/// outcome of every object kept in the archive with the session.
@Suite("a session sent to the PACS from its page")
struct PACSDeskTests {
    @Test("every still and needle stored and committed, recorded per object with the session; the export audited; nothing left in incoming/")
    func sentAndCommitted() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        for (still, annotation) in f.annotations {
            _ = try await f.archive.saveAnnotation(annotation.geometry, onStill: still, by: "dr.lee", basedOn: nil)
        }
        _ = try await f.archive.endSession(f.session.id, as: .completed, reason: nil, at: f.session.startedAt.addingTimeInterval(300))
        let listenPort = try OrthancServer.freePort()
        let orthanc = try await OrthancServer(modalities: ["needlelog": ["NEEDLELOG", "127.0.0.1", listenPort]])
        defer { orthanc.stop() }
        let desk = PACSDesk(archive: f.archive, peer: try ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"),
                            callingTitle: "NEEDLELOG", commitment: .init(port: listenPort, wait: .seconds(20)))
        let started = try await desk.send(session: f.session.id, by: "dr.lee")
        #expect(started.finishedAt == nil && started.instances.isEmpty && started.commitmentAsked)
        #expect(await desk.isRunning(started.id))
        // A second press while it runs is refused, saying why.
        let again = await #expect(throws: WorkflowError.self) { try await desk.send(session: f.session.id, by: "dr.lee") }
        #expect(again?.kind == .conflict)
        await desk.finish()
        #expect(await !desk.isRunning(started.id))

        let recorded = try #require(try await f.archive.deliveries(ofSession: f.session.id).first)
        #expect(recorded.id == started.id && recorded.finishedAt != nil && recorded.problem == nil, "\(recorded.problem ?? "")")
        #expect(recorded.instances.count == 5)
        #expect(recorded.instances.filter { $0.kind == "image" }.count == 3 && recorded.instances.filter { $0.kind == "presentation state" }.count == 2)
        #expect(recorded.instances.allSatisfy { $0.status == "stored" && $0.commitment == "committed" }, "\(recorded.instances)")
        #expect(Set(recorded.instances.compactMap(\.still)) == Set([f.plainStill.id, f.needleStill.id, f.colourStill.id]))
        #expect(recorded.isComplete)
        // What Orthanc holds is what the archive says it holds.
        let held = try await orthanc.get("instances") as? [String] ?? []
        #expect(held.count == 5)
        let audit = try await f.archive.auditEvents(patient: f.patient.id.value)
        #expect(audit.contains { $0.action == "export" && $0.actor == "dr.lee" && $0.detail.contains("dicom") })
        let incoming = (try? FileManager.default.contentsOfDirectory(atPath: f.archive.location.incoming.path)) ?? []
        #expect(incoming.isEmpty, "\(incoming)")
    }

    @Test("a PACS that is not there: the sending is recorded with the reason and every object not held; a session still recording is refused")
    func peerDown() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let desk = PACSDesk(archive: f.archive, peer: try ApplicationEntity(parsing: "PACS@127.0.0.1:\(try OrthancServer.freePort())"),
                            callingTitle: "NEEDLELOG", commitment: nil, timeout: .seconds(2))
        let recording = await #expect(throws: WorkflowError.self) { try await desk.send(session: f.session.id, by: "dr.lee") }
        #expect(recording?.kind == .conflict && recording?.message.contains("still recording") == true)
        _ = try await f.archive.endSession(f.session.id, as: .completed, reason: nil, at: f.session.startedAt.addingTimeInterval(300))
        _ = try await desk.send(session: f.session.id, by: "dr.lee")
        await desk.finish()
        let recorded = try #require(try await f.archive.deliveries(ofSession: f.session.id).first)
        #expect(recorded.finishedAt != nil && !recorded.isComplete && !recorded.commitmentAsked)
        #expect(recorded.problem?.contains("127.0.0.1") == true, "\(recorded.problem ?? "no problem")")
    }
}
