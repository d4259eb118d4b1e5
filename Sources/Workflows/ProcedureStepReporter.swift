import Archive
import DICOMExport
import DICOMNetwork
import Foundation
import Records
import Synchronization

/// Tells the RIS what happens at the table with Modality Performed Procedure Steps: IN
/// PROGRESS when a session starts, COMPLETED with its series and images when it stops,
/// DISCONTINUED when it fails or is cut short (also found so at the next start).
///
/// Messages go through the archive's outbox first and are sent from there in the order
/// they were queued, one association for all that wait: a RIS that is down or refuses the
/// association gets them later, with doubling waits, and a restart loses nothing. Nothing
/// here ever holds up recording: queuing writes one small file; sending runs in ``run()``.
public actor ProcedureStepReporter {
    public nonisolated let peer: ApplicationEntity
    public nonisolated let callingTitle: String
    public let archive: any ArchiveStore
    public nonisolated let outbox: Outbox
    let timeout: Duration
    let firstWait: Duration
    let longestWait: Duration
    let timeZone: TimeZone
    private var wake: AsyncStream<Void>.Continuation?
    private var kicked = false
    /// What waits for the RIS after the last attempt, for the tech page's status (read
    /// without waiting for the actor, which may be in the middle of a slow send).
    private nonisolated let shared = Mutex<Backlog?>(nil)

    /// Messages the RIS has not taken yet, and why.
    public struct Backlog: Codable, Sendable, Equatable {
        public var waiting: Int
        /// The RIS, `AE@HOST:PORT`.
        public var ris: String
        /// Why the last attempt failed, in words that say what to check.
        public var problem: String
    }

    public nonisolated var backlog: Backlog? { shared.withLock { $0 } }

    public static let outboxName = "mpps"
    static let create = "N-CREATE", set = "N-SET"

    public init(peer: ApplicationEntity, callingTitle: String, archive: any ArchiveStore, timeout: Duration = .seconds(10),
                firstWait: Duration = .seconds(2), longestWait: Duration = .seconds(600), timeZone: TimeZone = .current) {
        self.peer = peer
        self.callingTitle = callingTitle
        self.archive = archive
        outbox = Outbox(Self.outboxName, in: archive.location)
        self.timeout = timeout
        self.firstWait = firstWait
        self.longestWait = longestWait
        self.timeZone = timeZone
    }

    // MARK: - What happened

    /// A session started recording: queues its step IN PROGRESS.
    public func started(_ session: ProcedureSession, order: ScheduledOrder?) async {
        guard !outbox.mentions(session.id, kind: Self.create) else { return }
        do {
            guard let patient = try await archive.patient(session.patientID) else { return }
            let attributes = ProcedureStepReport.inProgress(session: session, patient: patient, order: order, stationTitle: callingTitle,
                                                            timeZone: timeZone)
            try outbox.enqueue(session: session.id, kind: Self.create, summary: "IN PROGRESS", payload: Data(attributes.encoded()))
            queued()
        } catch {
            Self.log("could not queue the procedure step of session \(Self.short(session.id)) for \(peer): \(error)")
        }
    }

    /// A session ended (stopped, failed, interrupted): queues the final state of its step,
    /// with the series and images it produced. Only for a step this station started.
    public func ended(_ session: ProcedureSession) async {
        guard outbox.mentions(session.id, kind: Self.create), !outbox.mentions(session.id, kind: Self.set) else { return }
        do {
            let stills = try await archive.stills(ofSession: session.id)
            let physician = try await archive.account(named: session.physician)?.person
            let tech = try await archive.account(named: session.tech)?.person
            guard let attributes = ProcedureStepReport.ended(session: session, stills: stills, physician: physician, tech: tech,
                                                             timeZone: timeZone) else { return }
            let state = attributes.string(.performedProcedureStepStatus) ?? ""
            try outbox.enqueue(session: session.id, kind: Self.set, summary: "\(state), \(stills.count) images", payload: Data(attributes.encoded()))
            queued()
        } catch {
            Self.log("could not queue the end of the procedure step of session \(Self.short(session.id)) for \(peer): \(error)")
        }
    }

    /// Queues the end of every step this station started whose session has ended without
    /// it: cut short by a crash (marked interrupted at start-up) or stopped as the daemon
    /// went down before the end was queued.
    public func catchUp() async {
        let open = outbox.sessions(withKind: Self.create).subtracting(outbox.sessions(withKind: Self.set))
        for id in open {
            guard let session = try? await archive.session(id), session.status != .recording else { continue }
            await ended(session)
        }
    }

    // MARK: - Sending

    /// What one pass over the outbox did.
    public struct Delivery: Sendable, Equatable {
        public var sent: [String] = []
        public var refused: [String] = []
        /// Why sending stopped with messages still queued (the peer down, an abort).
        public var problem: String?

        public init(sent: [String] = [], refused: [String] = [], problem: String? = nil) {
            self.sent = sent
            self.refused = refused
            self.problem = problem
        }
    }

    /// Sends what is queued, oldest first, on one association; stops at the first
    /// failure of the link (the rest wait for the next pass). A message the peer refuses
    /// is set aside in `refused/` with its reason, and the ones after it go on.
    public func deliver() async -> Delivery {
        var delivery = Delivery()
        let letters: [Outbox.Letter]
        do {
            letters = try outbox.letters(in: .queued)
        } catch {
            delivery.problem = "\(error)"
            return delivery
        }
        guard !letters.isEmpty else { return delivery }
        let outbox = self.outbox
        let result: Result<Delivery, any Error>
        do {
            result = .success(try await Association.run(to: peer, callingTitle: callingTitle,
                                                        services: [PresentationService(ProcedureStepReport.sopClass)], timeout: timeout) { link in
                var done = Delivery()
                for letter in letters {
                    let attributes = try DataSet(decoding: Array(letter.payload), explicitVR: true)
                    let uid = ProcedureStepReport.instanceUID(letter.session)
                    let status = letter.kind == Self.create
                        ? try await link.createProcedureStep(uid, attributes: attributes)
                        : try await link.setProcedureStep(uid, modifications: attributes)
                    switch status {
                    case .accepted, .alreadyCreated:
                        try outbox.markSent(letter)
                        done.sent.append(letter.id)
                    case .refused(_, let why):
                        try outbox.markRefused(letter, reason: why)
                        done.refused.append(letter.id)
                        Self.log("\(link.peer) refused \(letter.kind) \(letter.summary) of session \(Self.short(letter.session)): \(why); set aside in \(outbox.folder.path)/refused")
                    }
                }
                return done
            })
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let done):
            delivery = done
            shared.withLock { $0 = nil }
        case .failure(let error):
            // What went before the failure is already moved out of queued/.
            let left = (try? outbox.letters(in: .queued).count) ?? letters.count
            delivery.problem = "\(left) procedure step messages wait for \(peer): \(error)"
            shared.withLock { $0 = Backlog(waiting: left, ris: peer.description, problem: "\(error)") }
        }
        return delivery
    }

    /// Sends whenever something is queued, until cancelled: at once after a message is
    /// queued, else after a wait that doubles with each failed pass (up to `longestWait`).
    public func run() async {
        let (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        var wait = firstWait
        var reported: String?
        await catchUp()
        while !Task.isCancelled {
            kicked = false
            let delivery = await deliver()
            if let problem = delivery.problem {
                if problem != reported { Self.log(problem + "; trying again, waiting up to \(longestWait) between attempts") }
                reported = problem
                wait = min(wait * 2, longestWait)
            } else {
                if reported != nil, !delivery.sent.isEmpty { Self.log("the RIS (\(peer)) took the \(delivery.sent.count) procedure step messages that waited") }
                reported = nil
                wait = firstWait
            }
            // A pass that failed left messages queued; one that did not sent them all.
            let queued = delivery.problem != nil
            if kicked { continue }
            let pause = wait
            // Nothing queued: sleep until something is. Else until the wait is over.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { for await _ in wakes { return } }
                if queued { group.addTask { try? await Task.sleep(for: pause) } }
                await group.next()
                group.cancelAll()
            }
        }
        continuation.finish()
    }

    /// One more message waits: counted while the RIS is known to be away, and sent at once.
    private func queued() {
        shared.withLock { backlog in backlog?.waiting += 1 }
        kicked = true
        wake?.yield()
    }

    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }

    /// To the daemon's log: session ids only, never a patient's name.
    static func log(_ line: String) {
        FileHandle.standardError.write(Data("mpps: \(line)\n".utf8))
    }
}
