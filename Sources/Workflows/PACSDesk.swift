import Archive
import DICOMExport
import DICOMNetwork
import Foundation
import Records

/// Sends a session's DICOM objects (each still, and the needle drawn on it as a
/// presentation state) to the clinic's PACS over DIMSE, asks for storage commitment when
/// configured, and keeps the outcome of every object with the session (``PACSDelivery``),
/// so its page says whether the PACS holds the images.
///
/// Sendings run one at a time in the background: the physician's request returns at once
/// with the delivery started; its page follows it as the archive records it.
public actor PACSDesk {
    public let archive: any ArchiveStore
    public nonisolated let peer: ApplicationEntity
    public nonisolated let callingTitle: String
    public nonisolated let commitment: Commitment?
    let timeout: Duration
    /// The sending in progress (and those waiting behind it), by delivery id.
    private var running: Set<UUID> = []
    private var last: Task<Void, Never>?

    /// Where the PACS's commitment reports come back (NeedleLog's listener), and how long to wait.
    public struct Commitment: Sendable {
        public var port: Int
        public var wait: Duration

        public init(port: Int, wait: Duration) {
            self.port = port
            self.wait = wait
        }
    }

    public init(archive: any ArchiveStore, peer: ApplicationEntity, callingTitle: String, commitment: Commitment?, timeout: Duration = .seconds(30)) {
        self.archive = archive
        self.peer = peer
        self.callingTitle = callingTitle
        self.commitment = commitment
        self.timeout = timeout
    }

    /// Starts sending `session` for `actor`; returns the delivery as first recorded.
    /// - Throws: ``WorkflowError`` `.notFound` for no such session, `.invalid` for a
    ///   session without stills or still recording, `.conflict` while one of its sendings runs.
    public func send(session id: UUID, by actor: String) async throws -> PACSDelivery {
        guard let session = try await archive.session(id) else {
            throw WorkflowError(.notFound, "no session \(id.uuidString.lowercased())")
        }
        guard session.status != .recording else {
            throw WorkflowError(.conflict, "session \(id.uuidString.lowercased().prefix(8)) is still recording: send it to the PACS once it has stopped")
        }
        guard !(try await archive.stills(ofSession: id)).isEmpty else {
            throw WorkflowError(.invalid, "session \(id.uuidString.lowercased().prefix(8)) has no stills: there is nothing to send to the PACS")
        }
        let busy = try await archive.deliveries(ofSession: id).contains { running.contains($0.id) }
        guard !busy else {
            throw WorkflowError(.conflict, "session \(id.uuidString.lowercased().prefix(8)) is being sent to the PACS already: wait for it to finish")
        }
        let delivery = PACSDelivery(session: id, destination: peer.description, by: actor, startedAt: Date(), commitmentAsked: commitment != nil)
        try await archive.record(delivery)
        running.insert(delivery.id)
        let before = last
        last = Task {
            await before?.value
            await self.deliver(delivery)
        }
        return delivery
    }

    /// Whether the delivery is still being sent (or waits its turn) in this process.
    public func isRunning(_ id: UUID) -> Bool { running.contains(id) }

    /// Waits for every sending started so far (the tests, and shutdown).
    public func finish() async { await last?.value }

    /// Exports, pushes, asks for commitment and records each step's outcome.
    private func deliver(_ started: PACSDelivery) async {
        var delivery = started
        let folder = archive.location.incoming.appendingPathComponent("pacs-\(delivery.id.uuidString.lowercased())", isDirectory: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            running.remove(delivery.id)
        }
        do {
            let export = StillExport(archive: archive)
            let records = try await export.records(.session(delivery.session))
            let files = try await export.write(records, as: .dicom, with: ExportWriter(), to: folder, by: delivery.by)
            let pusher = try DIMSEPusher(peer: peer, callingTitle: callingTitle, timeout: timeout)
            var report = try await pusher.push(files.map(\.url))
            if let commitment {
                do {
                    let listener = try await CommitmentListener.start(title: callingTitle, port: commitment.port, timeout: timeout)
                    try await pusher.commit(&report, listener: listener, within: commitment.wait)
                    await listener.stop()
                } catch {
                    delivery.problem = "storage commitment could not be asked: \(error)"
                }
            }
            let byPath = Dictionary(files.map { ($0.url.path, $0) }, uniquingKeysWith: { first, _ in first })
            delivery.instances = report.results.map { result in
                let file = byPath[result.file]
                return PACSDelivery.Instance(sopInstanceUID: result.sopInstanceUID.isEmpty ? (file?.sopInstanceUID ?? "") : result.sopInstanceUID,
                                             kind: file?.kind == .presentationState ? "presentation state" : "image", still: file?.stillID,
                                             status: result.status.rawValue, detail: result.detail,
                                             commitment: result.commitment?.rawValue, commitmentDetail: result.commitmentDetail)
            }
        } catch {
            delivery.problem = "\(error)"
        }
        delivery.finishedAt = Date()
        do {
            try await archive.record(delivery)
        } catch {
            FileHandle.standardError.write(Data("pacs: could not record the sending of session \(delivery.session.uuidString.lowercased().prefix(8)): \(error)\n".utf8))
        }
    }
}
