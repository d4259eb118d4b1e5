import DICOMExport
import NIOCore
import NIOPosix
import Synchronization

/// NeedleLog as an acceptor: listens on a port for the archive's storage commitment
/// reports (N-EVENT-REPORT, PS3.4 J.3.3), which archives such as Orthanc send on an
/// association of their own, and answers C-ECHO so the archive can check the way back.
/// Associations called with another AE title are rejected, as PS3.8 says.
public final class CommitmentListener: Sendable {
    public let title: String
    /// The port it listens on (the one asked for, or the one the system chose for 0).
    public let port: Int
    private let channel: any Channel
    private let serving: Task<Void, Never>
    private let inbox: Reports

    /// - Throws: ``DICOMNetworkError`` `.unreachable` when the port cannot be had (in use,
    ///   or below 1024 without the right to it).
    public static func start(title: String, host: String = "0.0.0.0", port: Int, timeout: Duration = .seconds(30)) async throws -> CommitmentListener {
        try ApplicationEntity.check(title: title)
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        } catch {
            throw DICOMNetworkError(.unreachable, "cannot listen for storage commitment reports on \(host):\(port): \(error); choose another port (--listen-port)")
        }
        return CommitmentListener(title: title, server: server, timeout: timeout)
    }

    private init(title: String, server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, timeout: Duration) {
        self.title = title
        port = server.channel.localAddress?.port ?? 0
        channel = server.channel
        let reports = Reports()
        inbox = reports
        serving = Task {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { await Self.serve(connection, title: title, timeout: timeout, reports: reports) }
                    }
                }
            }
        }
    }

    /// Stops listening; reports not yet waited for are dropped.
    public func stop() async {
        try? await channel.close()
        serving.cancel()
        inbox.close()
    }

    /// The report for a transaction: at once if it has come, else when it comes, or nil
    /// after `limit`.
    public func report(for transactionUID: String, within limit: Duration) async -> StorageCommitment.Report? {
        await inbox.report(for: transactionUID, within: limit)
    }

    /// One association from a peer: accept storage commitment and verification, answer
    /// every message, release when asked.
    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, title: String, timeout: Duration, reports: Reports) async {
        let remote = connection.channel.remoteAddress
        try? await connection.executeThenClose { inbound, outbound in
            let inbox = Inbox()
            let pump = Task { await inbox.pump(inbound) }
            defer { pump.cancel() }
            let unknown = try ApplicationEntity(title: "PEER", host: remote?.ipAddress ?? "?", port: remote?.port ?? 1)
            guard case .associateRequest(let request) = try await inbox.next(within: timeout, waitingFor: "an association request", peer: unknown) else {
                try await outbound.write(ByteBuffer(bytes: PDU.abort(source: 0, reason: 0).encoded()))
                return
            }
            guard request.calledTitle == title else {
                // Rejected permanently by the service user: called AE title not recognised.
                try await outbound.write(ByteBuffer(bytes: PDU.associateReject(result: 1, source: 1, reason: 7).encoded()))
                return
            }
            let peer = (try? ApplicationEntity(title: request.callingTitle, host: unknown.host, port: unknown.port)) ?? unknown
            let offered = [StorageCommitment.sopClass, PresentationService.verification]
            let answers = request.contexts.map { context -> AssociationAccept.Context in
                guard offered.contains(context.abstractSyntax) else { return .init(id: context.id, result: 3, transferSyntax: "") }
                let syntax = [PresentationService.explicitLittleEndian, PresentationService.implicitLittleEndian].first(where: context.transferSyntaxes.contains)
                return .init(id: context.id, result: syntax == nil ? 4 : 0, transferSyntax: syntax ?? "")
            }
            var user = AssociationRequest(calledTitle: "", callingTitle: "", contexts: []).user
            // The archive reports as the commitment SCP on its own association: grant the role it asks for.
            user.roles = request.user.roles.filter { offered.contains($0.abstractSyntax) }
            let accept = AssociationAccept(contexts: answers, user: user, calledTitle: request.calledTitle, callingTitle: request.callingTitle)
            try await outbound.write(ByteBuffer(bytes: PDU.associateAccept(accept).encoded()))
            let accepted = answers.filter { $0.result == 0 }.compactMap { answer in
                request.contexts.first { $0.id == answer.id }.map { (answer.id, $0.abstractSyntax, answer.transferSyntax) }
            }
            let association = Association(peer: peer, accepted: accepted, peerMaximum: request.user.maximumLength,
                                          peerImplementation: request.user.implementationVersion, timeout: timeout, inbox: inbox, outbound: outbound)
            while let message = try await association.nextMessage(waitingFor: "a storage commitment report") {
                try await answer(message, on: association, reports: reports)
            }
            try await association.answerRelease()
        }
    }

    private static func answer(_ message: (command: CommandSet, dataSet: [UInt8]?, context: UInt8), on association: Association, reports: Reports) async throws {
        let field = message.command.uint16(CommandSet.commandField)
        var reply = CommandSet()
        reply.set(CommandSet.respondedTo, uint16: message.command.uint16(CommandSet.messageID) ?? 0)
        reply.set(CommandSet.dataSetType, uint16: CommandSet.noDataSet)
        reply.set(CommandSet.affectedSOPClass, uid: message.command.text(CommandSet.affectedSOPClass) ?? "")
        switch field {
        case 0x0030:   // C-ECHO-RQ
            reply.set(CommandSet.commandField, uint16: 0x8030)
            reply.set(CommandSet.status, uint16: 0)
        case 0x0100:   // N-EVENT-REPORT-RQ
            reply.set(CommandSet.commandField, uint16: 0x8100)
            reply.set(CommandSet.affectedSOPInstance, uid: message.command.text(CommandSet.affectedSOPInstance) ?? StorageCommitment.sopInstance)
            reply.set(CommandSet.eventTypeID, uint16: message.command.uint16(CommandSet.eventTypeID) ?? 1)
            let explicit = association.accepted.first { $0.id == message.context }?.transferSyntax == PresentationService.explicitLittleEndian
            if let bytes = message.dataSet, let set = try? DataSet(decoding: bytes, explicitVR: explicit) {
                reply.set(CommandSet.status, uint16: 0)
                reports.deliver(StorageCommitment.Report(set))
            } else {
                reply.set(CommandSet.status, uint16: 0x0110)   // processing failure: the report did not read
            }
        default:
            reply.set(CommandSet.commandField, uint16: (field ?? 0) | 0x8000)
            reply.set(CommandSet.status, uint16: 0x0211)   // unrecognised operation
        }
        try await association.send(reply, context: message.context)
    }
}

/// Reports that came, and callers waiting for theirs, by transaction UID.
private final class Reports: Sendable {
    private struct State {
        var reports: [String: StorageCommitment.Report] = [:]
        var waiters: [String: CheckedContinuation<StorageCommitment.Report?, Never>] = [:]
    }
    private let state = Mutex(State())

    func report(for transactionUID: String, within limit: Duration) async -> StorageCommitment.Report? {
        let timer = Task { [weak self] in
            try await Task.sleep(for: limit)
            self?.state.withLock { state in state.waiters.removeValue(forKey: transactionUID)?.resume(returning: nil) }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { state in
                if let report = state.reports.removeValue(forKey: transactionUID) {
                    continuation.resume(returning: report)
                } else {
                    state.waiters[transactionUID] = continuation
                }
            }
        }
    }

    func deliver(_ report: StorageCommitment.Report) {
        state.withLock { state in
            if let waiter = state.waiters.removeValue(forKey: report.transactionUID) {
                waiter.resume(returning: report)
            } else {
                state.reports[report.transactionUID] = report
            }
        }
    }

    func close() {
        state.withLock { state in
            for waiter in state.waiters.values { waiter.resume(returning: nil) }
            state.waiters = [:]
        }
    }
}
