import DICOMExport
import Foundation
import SampleKit
import Testing
@testable import DICOMNetwork

/// Modality worklist C-FIND against dcmtk's wlmscpfs serving files the test writes with
/// dump2dcm: matching by day, modality and station, names in Latin-1 and UTF-8, both
/// transfer syntaxes, a cancelled query, and findscu as a cross-check.
@Suite("Modality worklist (C-FIND)")
struct WorklistTests {
    /// A worklist folder (`folder/WLM/*.wl` and its lockfile) of SampleKit's day, and
    /// wlmscpfs serving it.
    static func server() async throws -> Peer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("worklist-\(UUID().uuidString)")
        let title = folder.appendingPathComponent("WLM")
        try FileManager.default.createDirectory(at: title, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: title.appendingPathComponent("lockfile").path, contents: Data())
        let dumps = try WorklistSamples.writeDumps(WorklistSamples.day("20261204", nextDay: "20261205"), to: folder)
        for dump in dumps {
            let file = title.appendingPathComponent(dump.deletingPathExtension().lastPathComponent + ".wl")
            #expect(try Peer.run("dump2dcm", [dump.path, file.path]) == 0)
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
        #expect(first.requestedProcedureDescription == "US-guided facet joint injection L4-L5")
        #expect(first.studyInstanceUID == "1.2.826.0.1.3680043.10.543.1.1")
        #expect(items.first { $0.patientID == "PAT-0004" }?.birthDate == "", "a RIS that knows no birth date sends it empty")
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
