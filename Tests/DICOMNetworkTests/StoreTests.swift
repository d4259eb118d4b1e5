import DICOMExport
import Foundation
import Testing
@testable import DICOMNetwork

/// C-STORE to dcmtk's storescp: many files on one association, arriving byte for byte (or
/// converted to implicit VR when that is all the peer takes), valid for dciodvfy; a SOP class
/// the peer refuses; a peer that comes up only after the first try.
@Suite("C-STORE push")
struct StoreTests {
    /// The received file of `uid` among storescp's output (named by modality and UID).
    static func received(_ uid: String, in peer: Peer) throws -> URL? {
        try FileManager.default.contentsOfDirectory(atPath: peer.folder.path).first { $0.hasSuffix(uid) }.map { peer.folder.appendingPathComponent($0) }
    }

    @Test("twelve files on one association arrive byte for byte, each stored, each valid for dciodvfy")
    func explicitPush() async throws {
        let peer = try await Peer.storescp(title: "STORE")
        defer { peer.stop() }
        let folder = try TestObjects.folder(12)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:\(peer.port)"))
        let files = try PACSPusher.files(in: [folder.path])
        let report = try await pusher.push(files)
        #expect(report.associations == 1)
        #expect(report.results.map(\.status) == Array(repeating: .stored, count: 12))
        #expect(report.results.map(\.sopInstanceUID) == (0..<12).map { "2.25.\(900_000 + $0)" })
        for (index, file) in files.enumerated() {
            let sent = try PartTenFile.parts(of: Data(contentsOf: file))
            let arrived = try #require(try Self.received(sent.sopInstanceUID, in: peer), "storescp holds \(sent.sopInstanceUID)")
            let parts = try PartTenFile.parts(of: Data(contentsOf: arrived))
            #expect(parts.transferSyntaxUID == PresentationService.explicitLittleEndian)
            #expect(parts.dataSet == sent.dataSet, "file \(index): the data set arrived as sent")
            if index == 0 {
                let check = try Peer.output("dciodvfy", [arrived.path])
                #expect(!check.contains("Error"), "\(check)")
            }
        }
    }

    @Test("a peer that takes only implicit VR gets the files converted, every value intact")
    func implicitOnly() async throws {
        let peer = try await Peer.storescp(title: "STORE", options: ["+xi"])
        defer { peer.stop() }
        let folder = try TestObjects.folder(3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:\(peer.port)"))
        let files = try PACSPusher.files(in: [folder.path])
        let report = try await pusher.push(files)
        #expect(report.count(.stored) == 3)
        for file in files {
            let sent = try PartTenFile.parts(of: Data(contentsOf: file))
            let arrived = try PartTenFile.parts(of: Data(contentsOf: try #require(try Self.received(sent.sopInstanceUID, in: peer))))
            #expect(arrived.transferSyntaxUID == PresentationService.implicitLittleEndian)
            #expect(arrived.dataSet == (try DataSet(decoding: sent.dataSet, explicitVR: true).encodedImplicit()))
            let dump = try Peer.output("dcmdump", ["+U8", try #require(try Self.received(sent.sopInstanceUID, in: peer)).path])
            #expect(dump.contains("Müller^Jürgen") && dump.contains("(0028,0010) US 48"), "\(dump.prefix(600))")
        }
    }

    @Test("a file of a SOP class the peer refuses is reported, and the files after it still go")
    func refusedClass() async throws {
        // storescp takes storage SOP classes only: a private class gets no context.
        let folder = try TestObjects.folder(3) { $0 == 1 ? "1.2.826.0.1.3680043.10.543.99.1" : TestObjects.secondaryCapture }
        defer { try? FileManager.default.removeItem(at: folder) }
        let peer = try await Peer.storescp(title: "STORE")
        defer { peer.stop() }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:\(peer.port)"))
        let report = try await pusher.push(try PACSPusher.files(in: [folder.path]))
        #expect(report.results.map(\.status) == [.stored, .refused, .stored])
        #expect(report.results[1].detail.contains("does not accept 1.2.826.0.1.3680043.10.543.99.1"), "\(report.results[1].detail)")
    }

    @Test("a file that is not DICOM is refused by name before anything is sent")
    func notDICOM() async throws {
        let folder = try TestObjects.folder(2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("IMG001.dcm")
        let bytes = try Data(contentsOf: broken)
        try bytes.prefix(140).write(to: broken)   // DICM, then the meta group cut short
        let peer = try await Peer.storescp(title: "STORE")
        defer { peer.stop() }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:\(peer.port)"))
        let report = try await pusher.push(try PACSPusher.files(in: [folder.path]))
        #expect(report.results.map(\.status) == [.stored, .refused])
        #expect(report.results[1].detail.contains("not sent"), "\(report.results[1].detail)")
    }

    @Test("a peer that is down at first is tried again after a wait, and gets everything")
    func retriedUntilUp() async throws {
        let folder = try TestObjects.folder(4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 45_001...50_000)
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:\(port)"), attempts: 6, firstDelay: .milliseconds(300))
        let files = try PACSPusher.files(in: [folder.path])
        async let pushed = pusher.push(files)
        try await Task.sleep(for: .milliseconds(100))
        let peer = try await Peer.storescp(title: "STORE", port: port)
        defer { peer.stop() }
        let report = try await pushed
        #expect(report.associations >= 2, "the first try found nothing listening")
        #expect(report.count(.stored) == 4)
    }

    @Test("nothing listening, every try: the error says so once the tries are spent")
    func neverUp() async throws {
        let folder = try TestObjects.folder(1)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: "STORE@127.0.0.1:1"), attempts: 2, firstDelay: .milliseconds(50))
        let error = await #expect(throws: DICOMNetworkError.self) { try await pusher.push(try PACSPusher.files(in: [folder.path])) }
        #expect(error?.kind == .unreachable && error?.message.contains("connection refused") == true, "\(String(describing: error))")
    }
}
