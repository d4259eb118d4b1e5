import DICOMExport
import Foundation
import Testing

@Suite("pushing by DICOMweb STOW-RS to a real Orthanc with its DICOMweb plugin", .serialized)
struct STOWPushTests {
    @Test("a STOW-RS push in batches stores every object, found by PatientID; a second push is reported already there and adds nothing")
    func stowAndFind() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let orthanc = try await OrthancServer(dicomWeb: true)
        defer { orthanc.stop() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        _ = try ExportWriter().writeDICOM(records, to: f.out)
        let files = try PACSPusher.files(in: [f.out.path])
        #expect(files.count == 5)
        // The pusher matches the server's answer to files by their meta SOP Instance UID.
        #expect(try files.allSatisfy { PartTenFile.mediaStorageSOPInstanceUID(in: try Data(contentsOf: $0))?.hasPrefix("2.25.") == true })

        var pusher = try PACSPusher(server: orthanc.dicomWebURL, api: .stowRS)
        // 5 files in batches of 2: three requests, the last with one part.
        pusher.batchFiles = 2
        var seen: [URL] = []
        let first = try await pusher.push(files) { file, _ in seen.append(file) }
        #expect(first.stored == 5 && first.alreadyStored == 0 && first.refused.isEmpty, "\(first.refused)")
        #expect(first.warnings.isEmpty)
        #expect(seen == files)
        #expect(try await orthanc.instanceCount() == 5)
        #expect(try await orthanc.findInstances(["PatientID": f.patient.id.value]).count == 5)
        #expect(try await orthanc.findInstances(["SOPClassUID": DICOMUID.colorSoftcopyPresentationStateStorage]).count == 1)

        // Orthanc answers a re-sent instance with 200 and lists it as stored, no warning;
        // the pusher knows it was there from QIDO-RS before sending.
        pusher.batchFiles = 50
        let second = try await pusher.push(files)
        #expect(second.alreadyStored == 5 && second.stored == 0 && second.refused.isEmpty, "\(second.refused)")
        #expect(try await orthanc.instanceCount() == 5)

        // The same archive over Orthanc's REST API agrees: all there.
        let rest = try await PACSPusher(server: orthanc.url).push(files)
        #expect(rest.alreadyStored == 5)
        #expect(try await orthanc.instanceCount() == 5)
    }

    @Test("objects Orthanc refuses over STOW-RS are reported with the reason, and the rest of the same request are stored")
    func refusedObjects() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let orthanc = try await OrthancServer(dicomWeb: true)
        defer { orthanc.stop() }
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        var files = try PACSPusher.files(in: [f.out.path])
        // A Part 10 preamble and marker, then nothing Orthanc can parse: no UID to name it by.
        let broken = f.base.appendingPathComponent("broken.dcm")
        try (Data(count: 128) + Data("DICM".utf8) + Data(repeating: 0xFF, count: 64)).write(to: broken)
        // Readable DICOM without a Study Instance UID: Orthanc lists it in the Failed SOP Sequence.
        // It reuses an exported image's UID, so only sending the two in separate requests
        // keeps the failure from being pinned on the image too.
        let sharedUID = try #require(PartTenFile.mediaStorageSOPInstanceUID(in: try Data(contentsOf: files[1])))
        var noStudy = DataSet()
        noStudy.set(.sopClassUID, .UI, DICOMUID.ultrasoundImageStorage)
        noStudy.set(.sopInstanceUID, .UI, sharedUID)
        noStudy.set(.patientID, .LO, "NO-STUDY")
        let unstudied = f.base.appendingPathComponent("no-study.dcm")
        try PartTenFile(dataSet: noStudy).encoded().write(to: unstudied)
        files.insert(broken, at: 0)
        files.append(unstudied)

        let pusher = try PACSPusher(server: orthanc.dicomWebURL, api: .stowRS, attempts: 2, firstDelay: .milliseconds(10))
        let report = try await pusher.push(files)
        #expect(report.stored == 5, "\(report.refused)")
        #expect(report.refused.count == 2)
        let reasons = Dictionary(report.refused.map { ($0.file, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons[broken]?.contains("HTTP 400") == true && reasons[broken]?.contains("no SOP Instance UID") == true,
                "\(reasons)")
        #expect(reasons[unstudied]?.contains("failure reason 0xC000 (cannot understand)") == true, "\(reasons)")
        #expect(try await orthanc.instanceCount() == 5)
    }

    @Test("an unreachable DICOMweb root is retried, then named in the error with what to check")
    func unreachable() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        let port = try OrthancServer.freePort()
        let root = "http://127.0.0.1:\(port)/dicom-web"
        let pusher = try PACSPusher(server: URL(string: root)!, api: .stowRS, attempts: 3, firstDelay: .milliseconds(50))
        let started = Date()
        do {
            _ = try await pusher.push(try PACSPusher.files(in: [f.out.path]))
            Issue.record("a STOW-RS push to a closed port succeeded")
        } catch let error as DICOMExportError {
            #expect(error.kind == .server)
            #expect(error.message.contains(root) && error.message.contains("after 3 tries")
                    && error.message.contains("check the PACS's address") && error.remedy == .checkServer, "\(error.message)")
        }
        // Two waits: 50 ms then 100 ms.
        #expect(Date().timeIntervalSince(started) >= 0.15)
    }

    @Test("a --to URL ending in /dicom-web or /dicomweb is taken for a DICOMweb root; Orthanc's base URL is not")
    func dicomWebRootByName() {
        for root in ["http://pacs:8042/dicom-web", "http://pacs:8042/dicom-web/", "https://pacs/orthanc/dicomweb", "http://pacs/DICOMweb"] {
            #expect(PACSPusher.isDICOMwebRoot(URL(string: root)!), "\(root)")
        }
        for rest in ["http://pacs:8042", "http://pacs:8042/", "http://pacs/dicom-web/studies", "http://pacs/mydicom-web"] {
            #expect(!PACSPusher.isDICOMwebRoot(URL(string: rest)!), "\(rest)")
        }
    }
}
