import DICOMExport
import DICOMNetwork
import Foundation
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
        let listenPort = try OrthancServer.freePort()
        let orthanc = try await OrthancServer(modalities: ["needlelog": ["NEEDLELOG", "127.0.0.1", listenPort]])
        defer { orthanc.stop() }
        let listener = try await CommitmentListener.start(title: "NEEDLELOG", host: "127.0.0.1", port: listenPort)
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"))
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
        let listenPort = try OrthancServer.freePort()
        let orthanc = try await OrthancServer(modalities: ["needlelog": ["NEEDLELOG", "127.0.0.1", listenPort]])
        defer { orthanc.stop() }
        let listener = try await CommitmentListener.start(title: "NEEDLELOG", host: "127.0.0.1", port: listenPort)
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "ORTHANC@127.0.0.1:\(orthanc.dicomPort)"))
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
