import DICOMExport
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A service NeedleLog asks a peer for: an abstract syntax (a SOP class) and the transfer
/// syntaxes it can send or read for it.
public struct PresentationService: Sendable, Equatable {
    public var abstractSyntax: String
    public var transferSyntaxes: [String]

    public init(_ abstractSyntax: String, transferSyntaxes: [String] = [PresentationService.implicitLittleEndian, PresentationService.explicitLittleEndian]) {
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }

    public static let implicitLittleEndian = "1.2.840.10008.1.2"
    public static let explicitLittleEndian = "1.2.840.10008.1.2.1"
    /// C-ECHO's SOP class.
    public static let verification = "1.2.840.10008.1.1"
}

/// An association with a peer (PS3.8): opened, used for DIMSE messages one at a time, and
/// released (or aborted) by ``Association/run(to:callingTitle:services:timeout:_:)``. Every
/// wait (connect, accept, each answer, release) is bounded by the timeout.
public final class Association: Sendable {
    public let peer: ApplicationEntity
    /// Accepted contexts: their id, abstract syntax and the transfer syntax the peer chose.
    public let accepted: [(id: UInt8, abstractSyntax: String, transferSyntax: String)]
    /// The peer's implementation, as it names itself (`OFFIS_DCMTK_367`).
    public let peerImplementation: String
    let timeout: Duration
    private let inbox: Inbox
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// The largest P-DATA PDU the peer takes.
    private let peerMaximum: Int
    private let nextID = Mutex<UInt16>(1)

    init(peer: ApplicationEntity, accepted: [(id: UInt8, abstractSyntax: String, transferSyntax: String)], peerMaximum: UInt32,
         peerImplementation: String, timeout: Duration, inbox: Inbox, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.peer = peer
        self.accepted = accepted
        self.peerMaximum = peerMaximum == 0 ? PDU.maximumLength : Int(min(peerMaximum, UInt32(PDU.maximumLength)))
        self.peerImplementation = peerImplementation
        self.timeout = timeout
        self.inbox = inbox
        self.outbound = outbound
    }

    /// The requestor's side: what the peer accepted of what was asked.
    private convenience init(peer: ApplicationEntity, accept: AssociationAccept, request: AssociationRequest, timeout: Duration,
                             inbox: Inbox, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        let accepted = accept.contexts.filter { $0.result == 0 }.compactMap { context in
            request.contexts.first { $0.id == context.id }.map { (context.id, $0.abstractSyntax, context.transferSyntax) }
        }
        self.init(peer: peer, accepted: accepted, peerMaximum: accept.user.maximumLength,
                  peerImplementation: accept.user.implementationVersion.isEmpty ? accept.user.implementationClass : accept.user.implementationVersion,
                  timeout: timeout, inbox: inbox, outbound: outbound)
    }

    /// Opens an association, runs `body` on it and releases it; aborts it when `body` throws.
    ///
    /// - Throws: ``DICOMNetworkError``: `.unreachable`, `.timeout`, `.rejected` (with the
    ///   peer's reason), `.noAcceptedContext`, `.aborted`, `.protocolError`; or what `body` throws.
    public static func run<T: Sendable>(to peer: ApplicationEntity, callingTitle: String, services: [PresentationService],
                                        timeout: Duration = .seconds(10), _ body: @Sendable (Association) async throws -> T) async throws -> T {
        try ApplicationEntity.check(title: callingTitle)
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: peer.host, port: peer.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw Self.connectError(error, peer: peer, timeout: timeout)
        }
        return try await channel.executeThenClose { inbound, outbound in
            let inbox = Inbox()
            // Unstructured: the inbound stream ends only when the channel closes, which
            // executeThenClose does once this closure returns.
            let socket = channel.channel
            let pump = Task { await inbox.pump(inbound, acknowledging: socket) }
            defer { pump.cancel() }
            let request = AssociationRequest(
                calledTitle: peer.title, callingTitle: callingTitle,
                contexts: services.enumerated().map { AssociationRequest.Context(id: UInt8(2 * $0.offset + 1), abstractSyntax: $0.element.abstractSyntax,
                                                                                 transferSyntaxes: $0.element.transferSyntaxes) })
            try await outbound.write(ByteBuffer(bytes: PDU.associateRequest(request).encoded()))
            let accept: AssociationAccept
            switch try await inbox.next(within: timeout, waitingFor: "the answer to the association request", peer: peer) {
            case .associateAccept(let answer): accept = answer
            case .associateReject(let result, let source, let reason):
                throw DICOMNetworkError(.rejected, "\(peer) rejected the association \(PDU.rejection(result: result, source: source, reason: reason))")
            case .abort(let source, let reason):
                throw DICOMNetworkError(.aborted, "\(peer): \(PDU.abortion(source: source, reason: reason))")
            default:
                throw DICOMNetworkError(.protocolError, "\(peer) answered the association request with something else")
            }
            let association = Association(peer: peer, accept: accept, request: request, timeout: timeout, inbox: inbox, outbound: outbound)
            guard !association.accepted.isEmpty else {
                try? await association.release()
                let asked = services.map(\.abstractSyntax).joined(separator: ", ")
                throw DICOMNetworkError(.noAcceptedContext, "\(peer) accepted the association but none of the services asked for (\(asked)): configure the peer to accept them from \(callingTitle)")
            }
            do {
                let value = try await body(association)
                // The work is done: a peer slow to release does not undo it.
                try? await association.release()
                return value
            } catch {
                try? await outbound.write(ByteBuffer(bytes: PDU.abort(source: 0, reason: 0).encoded()))
                throw error
            }
        }
    }

    /// The accepted context for a SOP class, if any; with `transferSyntax`, the one accepted
    /// for it first (two cine loops of one SOP class may be at two H.264 levels).
    public func context(for abstractSyntax: String, preferring transferSyntax: String? = nil) -> (id: UInt8, transferSyntax: String)? {
        let offered = accepted.filter { $0.abstractSyntax == abstractSyntax }
        return (offered.first { $0.transferSyntax == transferSyntax } ?? offered.first).map { ($0.id, $0.transferSyntax) }
    }

    func messageID() -> UInt16 {
        nextID.withLock { id in
            defer { id = id == UInt16.max ? 1 : id + 1 }
            return id
        }
    }

    /// Sends a command (and its data set, already encoded in the context's transfer
    /// syntax), fragmented to the peer's maximum PDU length.
    func send(_ command: CommandSet, dataSet: [UInt8]? = nil, context: UInt8) async throws {
        let room = max(16, peerMaximum - 6 - 6)
        for (bytes, isCommand) in [(command.encoded(), true)] + (dataSet.map { [($0, false)] } ?? []) {
            var offset = 0
            repeat {
                let end = min(bytes.count, offset + room)
                let value = PresentationDataValue(contextID: context, isCommand: isCommand, isLast: end == bytes.count, fragment: Array(bytes[offset..<end]))
                do {
                    try await outbound.write(ByteBuffer(bytes: PDU.data([value]).encoded()))
                } catch {
                    // A reset or closed connection comes from NIO in its own words.
                    throw DICOMNetworkError(.aborted, "the connection to \(peer) broke while NeedleLog was sending: \(error)")
                }
                offset = end
            } while offset < bytes.count
        }
    }

    /// The next whole message from the peer: its command, and its data set's bytes if one follows.
    func receive(waitingFor what: String) async throws -> (command: CommandSet, dataSet: [UInt8]?, context: UInt8) {
        guard let message = try await nextMessage(waitingFor: what) else {
            throw DICOMNetworkError(.aborted, "\(peer) released the association while NeedleLog waited for \(what)")
        }
        return message
    }

    /// The next whole message, or nil when the peer asks to release the association (which
    /// an acceptor then answers with ``answerRelease()``).
    func nextMessage(waitingFor what: String) async throws -> (command: CommandSet, dataSet: [UInt8]?, context: UInt8)? {
        var command: [UInt8] = [], data: [UInt8] = []
        var commandDone = false, context: UInt8 = 0
        var parsed: CommandSet?
        while true {
            switch try await inbox.next(within: timeout, waitingFor: what, peer: peer) {
            case .data(let values):
                for value in values {
                    context = value.contextID
                    if value.isCommand {
                        command += value.fragment
                        if value.isLast {
                            commandDone = true
                            let set = try CommandSet(decoding: command)
                            parsed = set
                            if set.uint16(CommandSet.dataSetType) == CommandSet.noDataSet { return (set, nil, context) }
                        }
                    } else {
                        guard commandDone, let parsed else { throw DICOMNetworkError(.protocolError, "\(peer) sent a data set before its command") }
                        data += value.fragment
                        if value.isLast { return (parsed, data, context) }
                    }
                }
            case .abort(let source, let reason):
                throw DICOMNetworkError(.aborted, "\(peer): \(PDU.abortion(source: source, reason: reason)) while NeedleLog waited for \(what)")
            case .releaseRequest:
                return nil
            default:
                throw DICOMNetworkError(.protocolError, "\(peer) sent an unexpected PDU while NeedleLog waited for \(what)")
            }
        }
    }

    /// A-RELEASE-RP, for an association the peer opened and now releases.
    func answerRelease() async throws {
        try await outbound.write(ByteBuffer(bytes: PDU.releaseResponse.encoded()))
    }

    func release() async throws {
        try await outbound.write(ByteBuffer(bytes: PDU.releaseRequest.encoded()))
        switch try await inbox.next(within: timeout, waitingFor: "the answer to the release", peer: peer) {
        case .releaseResponse: return
        case .abort: return
        default: throw DICOMNetworkError(.protocolError, "\(peer) answered the release with something else")
        }
    }

    private static func connectError(_ error: any Error, peer: ApplicationEntity, timeout: Duration) -> DICOMNetworkError {
        if let error = error as? DICOMNetworkError { return error }
        if case ChannelError.connectTimeout = error {
            return DICOMNetworkError(.timeout, "\(peer) did not take the connection within \(timeout.components.seconds) s: check the host and that a firewall lets port \(peer.port) through")
        }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") || text.contains("111") {
            return DICOMNetworkError(.unreachable, "nothing listens at \(peer.host):\(peer.port) (connection refused): check that the peer runs and its port")
        }
        return DICOMNetworkError(.unreachable, "cannot reach \(peer.host):\(peer.port): \(text)")
    }
}

/// PDUs as they arrive, reassembled from the stream; waited for with a time limit.
final class Inbox: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var ready: [PDU] = []
        var ended: DICOMNetworkError?
        var waiter: CheckedContinuation<PDU, any Error>?
    }
    private let state = Mutex(State())

    /// Reads the connection until it closes, cutting it into PDUs. With `socket`, each
    /// chunk is acknowledged at once (Linux's TCP_QUICKACK): a peer that leaves Nagle's
    /// algorithm on (dcmtk's default, so Orthanc's) holds the rest of an answer until its
    /// start is acknowledged, and a delayed acknowledgement costs 40 ms a message.
    func pump(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, acknowledging socket: (any Channel)? = nil) async {
        do {
            for try await chunk in inbound {
                #if os(Linux)
                if let socket { socket.setOption(.socket(SocketOptionLevel(IPPROTO_TCP), SocketOptionName(TCP_QUICKACK)), value: 1).whenComplete { _ in } }
                #endif
                let bytes = Array(chunk.readableBytesView)
                try state.withLock { state in
                    state.buffer += bytes
                    while state.buffer.count >= 6 {
                        // Anything but PS3.8's seven types is not DICOM at all (an HTTP server, say).
                        guard (0x01...0x07).contains(state.buffer[0]) else {
                            throw DICOMNetworkError(.protocolError, String(format: "the peer sent an unknown PDU type 0x%02X: it may not be a DICOM service (check the port)", state.buffer[0]))
                        }
                        let length = state.buffer[2...5].reduce(0) { $0 << 8 | Int($1) }
                        guard length <= PDU.maximumLength + 16 else {
                            throw DICOMNetworkError(.protocolError, "the peer sent a PDU of \(length) bytes, more than NeedleLog takes (\(PDU.maximumLength)): it may not be a DICOM service")
                        }
                        guard state.buffer.count >= 6 + length else { break }
                        let pdu = try PDU.decode(type: state.buffer[0], body: Array(state.buffer[6..<6 + length]))
                        state.buffer.removeFirst(6 + length)
                        if let waiter = state.waiter {
                            state.waiter = nil
                            waiter.resume(returning: pdu)
                        } else {
                            state.ready.append(pdu)
                        }
                    }
                }
            }
            end(DICOMNetworkError(.aborted, "the peer closed the connection"))
        } catch let error as DICOMNetworkError {
            end(error)
        } catch {
            end(DICOMNetworkError(.aborted, "the connection to the peer broke: \(error)"))
        }
    }

    private func end(_ error: DICOMNetworkError) {
        state.withLock { state in
            if state.ended == nil { state.ended = error }
            state.waiter?.resume(throwing: error)
            state.waiter = nil
        }
    }

    /// The next PDU, or a timeout naming what was waited for.
    func next(within limit: Duration, waitingFor what: String, peer: ApplicationEntity) async throws -> PDU {
        let timer = Task { [weak self] in
            try await Task.sleep(for: limit)
            self?.state.withLock { state in
                state.waiter?.resume(throwing: DICOMNetworkError(.timeout, "\(peer) did not send \(what) within \(limit.components.seconds) s"))
                state.waiter = nil
            }
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                if !state.ready.isEmpty {
                    continuation.resume(returning: state.ready.removeFirst())
                } else if let ended = state.ended {
                    continuation.resume(throwing: ended)
                } else {
                    state.waiter = continuation
                }
            }
        }
    }
}
