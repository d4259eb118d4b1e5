import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import DICOMNetwork

/// The upper layer and C-ECHO: bytes as PS3.7 and PS3.8 lay them out, a real peer (dcmtk's
/// storescp), and peers that refuse, abort or never answer, each with a clear error.
@Suite("DICOM associations and C-ECHO")
struct AssociationTests {
    @Test("a C-ECHO request's command set is PS3.7's bytes: group length first, UIDs padded to even length")
    func echoCommandBytes() throws {
        var command = CommandSet()
        command.set(CommandSet.affectedSOPClass, uid: "1.2.840.10008.1.1")
        command.set(CommandSet.commandField, uint16: 0x0030)
        command.set(CommandSet.messageID, uint16: 1)
        command.set(CommandSet.dataSetType, uint16: 0x0101)
        let bytes = command.encoded()
        #expect(bytes.count == 68)
        #expect(Array(bytes[0..<12]) == [0, 0, 0, 0, 4, 0, 0, 0, 56, 0, 0, 0], "(0000,0000) UL 56")
        #expect(Array(bytes[12..<20]) == [0, 0, 2, 0, 18, 0, 0, 0], "(0000,0002) 18 bytes")
        #expect(Array(bytes[20..<38]) == Array("1.2.840.10008.1.1".utf8) + [0])
        #expect(Array(bytes[38..<48]) == [0, 0, 0, 1, 2, 0, 0, 0, 0x30, 0x00])
        #expect(Array(bytes[58..<68]) == [0, 0, 0, 8, 2, 0, 0, 0, 0x01, 0x01])
        let read = try CommandSet(decoding: bytes)
        #expect(read.uint16(CommandSet.commandField) == 0x30 && read.text(CommandSet.affectedSOPClass) == "1.2.840.10008.1.1")
    }

    @Test("an association request reads back as written, its fixed fields where PS3.8 puts them")
    func associateRequestBytes() throws {
        let request = AssociationRequest(calledTitle: "ORTHANC", callingTitle: "NEEDLELOG", contexts: [
            .init(id: 1, abstractSyntax: PresentationService.verification, transferSyntaxes: [PresentationService.implicitLittleEndian]),
            .init(id: 3, abstractSyntax: "1.2.840.10008.5.1.4.31", transferSyntaxes: [PresentationService.explicitLittleEndian, PresentationService.implicitLittleEndian]),
        ])
        let bytes = PDU.associateRequest(request).encoded()
        #expect(bytes[0] == 0x01 && bytes[1] == 0)
        #expect(Int(bytes[2]) << 24 | Int(bytes[3]) << 16 | Int(bytes[4]) << 8 | Int(bytes[5]) == bytes.count - 6)
        #expect(Array(bytes[6..<8]) == [0, 1], "protocol version 1")
        #expect(String(decoding: bytes[10..<26], as: UTF8.self) == "ORTHANC         ")
        #expect(String(decoding: bytes[26..<42], as: UTF8.self) == "NEEDLELOG       ")
        #expect(Array(bytes[74..<78]) == [0x10, 0, 0, 21], "the application context item, 21 bytes")
        guard case .associateRequest(let read) = try PDU.decode(type: bytes[0], body: Array(bytes[6...])) else { Issue.record("not a request"); return }
        #expect(read == request)
    }

    @Test("a real peer (dcmtk's storescp) answers C-ECHO; echoscu agrees it is up")
    func echoStorescp() async throws {
        let peer = try await Peer.storescp(title: "STORESCP")
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "STORESCP@127.0.0.1:\(peer.port)")
        let implementation = try await Association.run(to: entity, callingTitle: "NEEDLELOG", services: [PresentationService(PresentationService.verification)]) { association in
            #expect(association.context(for: PresentationService.verification) != nil)
            try await association.echo()
            try await association.echo()   // two messages on one association
            return association.peerImplementation
        }
        #expect(implementation.uppercased().contains("DCMTK") || implementation.uppercased().contains("OFFIS"), "\(implementation)")
        #expect(try Peer.run("echoscu", ["-aec", "STORESCP", "127.0.0.1", String(peer.port)]) == 0)
    }

    @Test("a peer that takes no verification says so, naming what was asked for")
    func noAcceptedContext() async throws {
        let peer = try await Peer.storescp(title: "STORESCP")
        defer { peer.stop() }
        let entity = try ApplicationEntity(parsing: "STORESCP@127.0.0.1:\(peer.port)")
        let error = await #expect(throws: DICOMNetworkError.self) {
            try await Association.run(to: entity, callingTitle: "NEEDLELOG", services: [PresentationService("1.2.3.4.5.6.7.8.9")]) { _ in }
        }
        #expect(error?.kind == .noAcceptedContext && error?.message.contains("1.2.3.4.5.6.7.8.9") == true, "\(String(describing: error))")
    }

    @Test("bad peers: nothing listening, a rejection with its reason, an abort, silence", arguments: [
        ("nothing", DICOMNetworkError.Kind.unreachable, "connection refused"),
        ("reject", .rejected, "called AE title not recognized"),
        ("abort", .aborted, "aborted"),
        ("silent", .timeout, "did not send the answer to the association request within 1 s"),
        ("garbage", .protocolError, "unknown PDU type"),
    ])
    func badPeers(_ behaviour: String, _ kind: DICOMNetworkError.Kind, _ words: String) async throws {
        let reply: [UInt8]? = switch behaviour {
        case "reject": PDU.associateReject(result: 1, source: 1, reason: 7).encoded()
        case "abort": PDU.abort(source: 2, reason: 0).encoded()
        case "garbage": Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)
        default: nil
        }
        let fake = behaviour == "nothing" ? nil : try await FakePeer.start(reply: reply)
        defer { try? fake?.channel.close().wait() }
        let port = fake?.port ?? 1
        let entity = try ApplicationEntity(parsing: "PACS@127.0.0.1:\(port)")
        let error = await #expect(throws: DICOMNetworkError.self) {
            try await Association.run(to: entity, callingTitle: "NEEDLELOG", services: [PresentationService(PresentationService.verification)],
                                      timeout: .seconds(1)) { association in try await association.echo() }
        }
        #expect(error?.kind == kind, "\(String(describing: error))")
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
    }

    @Test("AE@HOST:PORT is read, and bad ones say what is wrong")
    func addresses() throws {
        let entity = try ApplicationEntity(parsing: "dicom://ORTHANC@pacs.clinic.local:4242")
        #expect(entity.title == "ORTHANC" && entity.host == "pacs.clinic.local" && entity.port == 4242)
        #expect(try ApplicationEntity(parsing: "A@[::1]:104").host == "::1")
        for bad in ["ORTHANC", "ORTHANC@host", "@host:104", "ORTHANC@:104", "ORTHANC@host:0", "ORTHANC@host:x",
                    "A_TITLE_LONGER_THAN_16@host:104", "BACK\\SLASH@host:104"] {
            #expect(throws: DICOMNetworkError.self, "\(bad)") { try ApplicationEntity(parsing: bad) }
        }
    }
}

/// dcmtk's tools as peers, on a free loopback port.
struct Peer {
    let process: Process
    let port: Int
    let folder: URL

    /// dcmtk's storage SCP, writing what it receives into `folder`; `options` such as
    /// `+xi` (implicit VR only) go before the port.
    static func storescp(title: String, options: [String] = [], port: Int? = nil) async throws -> Peer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storescp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try await launch("storescp", title: title, folder: folder, port: port) { ["-aet", title, "-od", folder.path] + options + [String($0)] }
    }

    /// dcmtk's worklist server over `folder`, whose subfolder `title` holds the `.wl` files.
    static func wlmscpfs(title: String, folder: URL) async throws -> Peer {
        try await launch("wlmscpfs", title: title, folder: folder) { ["-dfp", folder.path, String($0)] }
    }

    /// Starts `tool` on a free loopback port; up when it answers an association.
    static func launch(_ tool: String, title: String, folder: URL, port fixed: Int? = nil, arguments: (Int) -> [String]) async throws -> Peer {
        for _ in 0..<5 {
            let port = fixed ?? Int.random(in: 30_000...45_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments(port)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let entity = try ApplicationEntity(title: title, host: "127.0.0.1", port: port)
            for _ in 0..<50 where process.isRunning {
                let up = (try? await Association.run(to: entity, callingTitle: "PROBE", services: [PresentationService(PresentationService.verification)],
                                                     timeout: .seconds(1)) { _ in true }) ?? false
                if up { return Peer(process: process, port: port, folder: folder) }
                try await Task.sleep(for: .milliseconds(100))
            }
            // Only a live process: with pid_max 32768, a dead one's pid may be another's by now.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw DICOMNetworkError(.unreachable, "\(tool) did not start (dcmtk installed by tools/setup?)")
    }

    /// SIGKILL: dcmtk's servers ignore SIGTERM while they wait for associations.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// What a tool prints (stdout and stderr together).
    static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A peer that answers anything with `reply` (or never answers), to play a misbehaving PACS.
struct FakePeer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    final class Answer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let reply: [UInt8]?
        init(reply: [UInt8]?) { self.reply = reply }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let reply else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
        }
    }

    static func start(reply: [UInt8]?) async throws -> FakePeer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(Answer(reply: reply)) }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakePeer(channel: channel)
    }
}
