import DICOMExport
import Foundation
import Testing
@testable import DICOMNetwork

/// Modality worklist C-FIND against dcmtk's wlmscpfs serving files the test writes with
/// dump2dcm: matching by day, modality and station, names in Latin-1 and UTF-8, both
/// transfer syntaxes, a cancelled query, and findscu as a cross-check.
@Suite("Modality worklist (C-FIND)")
struct WorklistTests {
    /// One scheduled step, written as a dcmdump text file and turned into a `.wl` file.
    struct Scheduled {
        var characterSet: String?
        var patientID: String
        var name: String
        var born = "19640312"
        var sex = "F"
        var accession: String
        var date = "20261204"
        var time = "093000"
        var modality = "US"
        var station = "NEEDLELOG"
        var procedure = "US-guided facet joint injection"

        var dump: String {
            """
            \(characterSet.map { "(0008,0005) CS [\($0)]\n" } ?? "")(0008,0050) SH [\(accession)]
            (0008,0090) PN [Lee^Ann^^Dr]
            (0010,0010) PN [\(name)]
            (0010,0020) LO [\(patientID)]
            (0010,0030) DA [\(born)]
            (0010,0040) CS [\(sex)]
            (0020,000d) UI [1.2.826.0.1.3680043.10.543.\(patientID.filter(\.isNumber))]
            (0032,1060) LO [\(procedure)]
            (0040,1001) SH [RP-\(accession)]
            (0040,0100) SQ
            (fffe,e000) -
            (0008,0060) CS [\(modality)]
            (0040,0001) AE [\(station)]
            (0040,0002) DA [\(date)]
            (0040,0003) TM [\(time)]
            (0040,0007) LO [Prolotherapy]
            (0040,0009) SH [SPS-\(accession)]
            (fffe,e00d) -
            (fffe,e0dd) -

            """
        }
    }

    static let scheduled: [Scheduled] = [
        // Latin-1, as many RIS send European names.
        Scheduled(characterSet: "ISO_IR 100", patientID: "PAT-0001", name: "Müller^Jürgen", sex: "M", accession: "ACC0001", time: "101500"),
        // UTF-8: Greek and Japanese names.
        Scheduled(characterSet: "ISO_IR 192", patientID: "PAT-0002", name: "Παπαδοπούλου^Ελένη", accession: "ACC0002", time: "083000"),
        Scheduled(characterSet: "ISO_IR 192", patientID: "PAT-0003", name: "山田^花子", accession: "ACC0003", time: "090000", station: "ROOM2"),
        // No character set: plain ASCII.
        Scheduled(patientID: "PAT-0004", name: "O'Brien^Sean^Patrick", sex: "M", accession: "ACC0004", time: "140000"),
        // Not today, and not ultrasound.
        Scheduled(characterSet: "ISO_IR 100", patientID: "PAT-0005", name: "Tomorrow^Tom", accession: "ACC0005", date: "20261205"),
        Scheduled(characterSet: "ISO_IR 100", patientID: "PAT-0006", name: "Scan^Cathy", accession: "ACC0006", modality: "CT"),
    ]

    /// A worklist folder (`folder/WLM/*.wl` and its lockfile), and wlmscpfs serving it.
    static func server() async throws -> Peer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("worklist-\(UUID().uuidString)")
        let title = folder.appendingPathComponent("WLM")
        try FileManager.default.createDirectory(at: title, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: title.appendingPathComponent("lockfile").path, contents: Data())
        for (index, item) in scheduled.enumerated() {
            let dump = folder.appendingPathComponent("item\(index).dump")
            // The dump's bytes are the file's: Latin-1 for an ISO_IR 100 item.
            let encoding: String.Encoding = item.characterSet == "ISO_IR 100" ? .isoLatin1 : .utf8
            try #require(item.dump.data(using: encoding)).write(to: dump)
            #expect(try Peer.run("dump2dcm", [dump.path, title.appendingPathComponent("item\(index).wl").path]) == 0)
        }
        return try await Peer.wlmscpfs(title: "WLM", folder: folder)
    }

    @Test("today's ultrasound steps come back sorted by start, every field read, Latin-1 and UTF-8 names decoded")
    func todaysWorklist() async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "WLM@127.0.0.1:\(peer.port)")
        let items = try await Association.worklist(from: entity, callingTitle: "NEEDLELOG", query: WorklistQuery(date: "20261204", modality: "US"))
        #expect(items.map(\.patientID) == ["PAT-0002", "PAT-0003", "PAT-0001", "PAT-0004"])
        #expect(items.map(\.displayName) == ["Παπαδοπούλου, Ελένη", "山田, 花子", "Müller, Jürgen", "O'Brien, Sean Patrick"])
        let first = try #require(items.first { $0.patientID == "PAT-0001" })
        #expect(first.patientName == "Müller^Jürgen" && first.familyName == "Müller" && first.givenName == "Jürgen")
        #expect(first.birthDate == "1964-03-12" && first.sex == "M")
        #expect(first.accessionNumber == "ACC0001" && first.requestedProcedureID == "RP-ACC0001")
        #expect(first.requestedProcedureDescription == "US-guided facet joint injection")
        #expect(first.studyInstanceUID == "1.2.826.0.1.3680043.10.543.0001")
        #expect(first.referringPhysician == "Lee^Ann^^Dr")
        #expect(first.modality == "US" && first.scheduledStationAETitle == "NEEDLELOG")
        #expect(first.scheduledStart == "2026-12-04T10:15" && first.scheduledStepID == "SPS-ACC0001" && first.scheduledStepDescription == "Prolotherapy")
    }

    @Test("matching: one station, a span of days, any modality")
    func matching() async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "WLM@127.0.0.1:\(peer.port)")
        func ids(_ query: WorklistQuery) async throws -> [String] {
            try await Association.worklist(from: entity, callingTitle: "NEEDLELOG", query: query).map(\.patientID).sorted()
        }
        #expect(try await ids(WorklistQuery(date: "20261204", modality: "US", stationAETitle: "ROOM2")) == ["PAT-0003"])
        #expect(try await ids(WorklistQuery(date: "20261204-20261205", modality: "US")) == ["PAT-0001", "PAT-0002", "PAT-0003", "PAT-0004", "PAT-0005"])
        #expect(try await ids(WorklistQuery(date: "20261204", modality: "")) == ["PAT-0001", "PAT-0002", "PAT-0003", "PAT-0004", "PAT-0006"])
        #expect(try await ids(WorklistQuery(date: "20261206", modality: "US")).isEmpty)
    }

    @Test("the same answers in implicit and in explicit VR little endian", arguments: [PresentationService.implicitLittleEndian, PresentationService.explicitLittleEndian])
    func transferSyntaxes(_ syntax: String) async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "WLM@127.0.0.1:\(peer.port)")
        let (chosen, items) = try await Association.run(to: entity, callingTitle: "NEEDLELOG",
                                                        services: [PresentationService(WorklistQuery.sopClass, transferSyntaxes: [syntax])]) { association in
            (association.context(for: WorklistQuery.sopClass)?.transferSyntax, try await association.worklist(WorklistQuery(date: "20261204")))
        }
        #expect(chosen == syntax)
        #expect(items.map(\.patientName) == ["Παπαδοπούλου^Ελένη", "山田^花子", "Müller^Jürgen", "O'Brien^Sean^Patrick"])
        #expect(items.allSatisfy { $0.scheduledStepID == "SPS-" + $0.accessionNumber })
    }

    @Test("past the limit the query is cancelled and the association still ends cleanly")
    func cancelled() async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "WLM@127.0.0.1:\(peer.port)")
        let (few, all) = try await Association.run(to: entity, callingTitle: "NEEDLELOG", services: [PresentationService(WorklistQuery.sopClass)]) { association in
            (try await association.worklist(WorklistQuery(date: ""), limit: 2), try await association.worklist(WorklistQuery(date: "")))
        }
        #expect(few.count == 2)
        #expect(all.count == 5, "the CT step is not ultrasound")
    }

    @Test("findscu, asked the same, finds as many steps")
    func findscuAgrees() async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let out = peer.folder.appendingPathComponent("findscu")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let status = try Peer.run("findscu", ["-W", "-aec", "WLM", "-X", "-od", out.path,
                                              "-k", "ScheduledProcedureStepSequence[0].Modality=US",
                                              "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261204",
                                              "-k", "PatientID", "127.0.0.1", String(peer.port)])
        #expect(status == 0)
        let theirs = try FileManager.default.contentsOfDirectory(atPath: out.path).count
        let ours = try await Association.worklist(from: try ApplicationEntity(parsing: "WLM@127.0.0.1:\(peer.port)"), callingTitle: "NEEDLELOG",
                                                  query: WorklistQuery(date: "20261204")).count
        #expect(theirs == 4 && ours == theirs)
    }

    @Test("a worklist server that does not know the called AE title rejects, and the error says to check it")
    func unknownTitle() async throws {
        let peer = try await Self.server()
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "NOSUCHAE@127.0.0.1:\(peer.port)")
        let error = await #expect(throws: DICOMNetworkError.self) {
            try await Association.worklist(from: entity, callingTitle: "NEEDLELOG", query: WorklistQuery())
        }
        #expect(error?.kind == .rejected && error?.message.contains("AE title") == true, "\(String(describing: error))")
    }

    @Test("days are read as the CLI writes them; bad ones say which forms are right")
    func days() throws {
        var utc = TimeZone(identifier: "UTC")!
        let noon = Date(timeIntervalSince1970: 1_796_392_800)   // 2026-12-04 14:00 UTC
        #expect(try WorklistQuery.date(parsing: "today", today: noon, timeZone: utc) == "20261204")
        utc = TimeZone(identifier: "Pacific/Kiritimati")!
        #expect(try WorklistQuery.date(parsing: "today", today: noon, timeZone: utc) == "20261205")
        #expect(try WorklistQuery.date(parsing: "2026-12-01") == "20261201")
        #expect(try WorklistQuery.date(parsing: "2026-12-01..2026-12-05") == "20261201-20261205")
        #expect(try WorklistQuery.date(parsing: "all") == "")
        for bad in ["12/04/2026", "2026-13-01", "2026-12-05..2026-12-01", "tomorrow", "2026-12-01..", "20261204"] {
            let error = #expect(throws: DICOMNetworkError.self, "\(bad)") { try WorklistQuery.date(parsing: bad) }
            #expect(error?.kind == .invalid)
        }
    }
}
