import DICOMNetwork
import Foundation
import SampleKit
import Testing

/// The modality worklist from Orthanc's ModalityWorklists plugin (issue 15 item 6), a second
/// real worklist server beside dcmtk's wlmscpfs: the same day of steps written by SampleKit,
/// with Latin-1 (ISO_IR 100) and UTF-8 (ISO_IR 192) names, read back whole.
@Suite("Modality worklist from Orthanc's plugin")
struct OrthancWorklistTests {
    @Test("today's ultrasound steps, sorted by start, names in Latin-1 and UTF-8 decoded, the RIS order read whole")
    func todaysSteps() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orthanc-worklist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let steps = WorklistSamples.day("20261204", nextDay: "20261205")
        let dumps = try WorklistSamples.writeDumps(steps, to: folder.appendingPathComponent("dumps"))
        let dump2dcm = try ExternalTool("dump2dcm", package: "dcmtk")
        for dump in dumps {
            let result = try dump2dcm.run([dump.path, folder.appendingPathComponent(dump.deletingPathExtension().lastPathComponent + ".wl").path])
            #expect(result.status == 0, "\(result.stdout)")
        }
        let orthanc = try await OrthancServer(worklists: folder)
        defer { orthanc.stop() }
        let entity = try ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)")
        let items = try await Association.worklist(from: entity, callingTitle: "NEEDLELOG", query: WorklistQuery(date: "20261204", modality: "US"))
        #expect(items.map(\.patientID) == ["PAT-0002", "PAT-0003", "PAT-0001", "PAT-0004"])
        #expect(items.map(\.displayName) == ["Παπαδοπούλου, Ελένη", "山田, 花子", "Müller, Jürgen", "O'Brien, Sean Patrick"])
        let first = try #require(items.first { $0.patientID == "PAT-0001" })
        #expect(first.accessionNumber == "ACC0001" && first.requestedProcedureID == "RP-ACC0001")
        #expect(first.studyInstanceUID == "1.2.826.0.1.3680043.10.543.1.1")
        #expect(first.scheduledStart == "2026-12-04T10:15" && first.scheduledStepID == "SPS-ACC0001")
        // Every other day's step stays out; asking for all days brings tomorrow's too.
        let all = try await Association.worklist(from: entity, callingTitle: "NEEDLELOG", query: WorklistQuery(date: "", modality: ""))
        #expect(all.count == steps.count)
    }
}
