import DICOMExport
import Foundation

/// Sends Part 10 files to a storage SCP over one association (C-STORE), and optionally
/// asks it to commit to them (storage commitment). A broken association is opened again
/// after a doubling wait and the push goes on from the file it broke at; an object the
/// archive refuses is reported and the rest still go.
public struct DIMSEPusher: Sendable {
    public let peer: ApplicationEntity
    public let callingTitle: String
    /// Tries per association (the first included).
    public var attempts: Int
    public var firstDelay: Duration
    /// The limit on each step (connect, accept, each answer).
    public var timeout: Duration

    /// What became of one file.
    public struct Result: Sendable, Codable, Equatable {
        public enum Status: String, Sendable, Codable {
            case stored, storedWithWarning = "stored-with-warning", alreadyStored = "already-stored", refused, notSent = "not-sent"
        }
        public enum Commitment: String, Sendable, Codable {
            case committed, failed, pending
        }
        public var file: String
        public var sopClassUID: String
        public var sopInstanceUID: String
        public var status: Status
        /// The archive's words for a warning or a refusal, or why the file was not sent.
        public var detail: String
        public var commitment: Commitment?
        public var commitmentDetail: String?
    }

    public struct Report: Sendable {
        public var results: [Result] = []
        /// Associations opened (more than one after a retry).
        public var associations = 0
        /// The transaction of the storage commitment request, if one was made.
        public var transactionUID: String?

        public func count(_ status: Result.Status) -> Int { results.filter { $0.status == status }.count }
        public func count(_ commitment: Result.Commitment) -> Int { results.filter { $0.commitment == commitment }.count }
    }

    public init(peer: ApplicationEntity, callingTitle: String = "NEEDLELOG", attempts: Int = 4, firstDelay: Duration = .milliseconds(500),
                timeout: Duration = .seconds(30)) throws(DICOMNetworkError) {
        try ApplicationEntity.check(title: callingTitle)
        guard attempts >= 1 else { throw DICOMNetworkError(.invalid, "a push is tried at least once: retries are 0 or more") }
        self.peer = peer
        self.callingTitle = callingTitle
        self.attempts = attempts
        self.firstDelay = firstDelay
        self.timeout = timeout
    }

    /// Pushes every file in order, calling `progress` after each.
    /// - Throws: ``DICOMNetworkError`` when the peer cannot be reached or refuses the
    ///   association after every try, before anything was sent; later failures mark the
    ///   files not sent instead.
    public func push(_ files: [URL], progress: @Sendable (Result) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        var pending: [(url: URL, parts: PartTenFile.Parts)] = []
        for file in files {
            do {
                // The head alone names the SOP class and transfer syntax; each file is read
                // whole only when its turn comes, so a push of many holds one in memory.
                pending.append((file, try PartTenFile.parts(of: Self.head(of: file))))
            } catch {
                let result = Result(file: file.path, sopClassUID: "", sopInstanceUID: "", status: .refused, detail: "not sent: \(error)")
                report.results.append(result)
                progress(result)
            }
        }
        var services: [PresentationService] = []
        for (_, parts) in pending {
            let service = PresentationService(parts.sopClassUID, transferSyntaxes: Association.transferSyntaxes(for: parts))
            if !services.contains(service) { services.append(service) }
        }
        var delay = firstDelay
        var attempt = 0
        var lastError: DICOMNetworkError?
        while !pending.isEmpty {
            attempt += 1
            if attempt > attempts {
                for (url, parts) in pending {
                    let result = Result(file: url.path, sopClassUID: parts.sopClassUID, sopInstanceUID: parts.sopInstanceUID, status: .notSent,
                                        detail: "\(peer) could not be reached after \(attempts) tries: \(lastError?.message ?? "")")
                    report.results.append(result)
                    progress(result)
                }
                break
            }
            if attempt > 1 {
                try await Task.sleep(for: delay)
                delay *= 2
            }
            do {
                report.associations += 1
                let remaining = pending
                let done = try await Association.run(to: peer, callingTitle: callingTitle, services: Array(services.prefix(128)), timeout: timeout) { association in
                    try await Self.store(remaining, on: association, progress: progress)
                }
                report.results += done
                pending = []
            } catch let error as PartialPush {
                report.results += error.done
                pending.removeFirst(error.done.count)
                lastError = error.cause
                // Refused associations and busy archives are worth another try; a peer that
                // does not speak DICOM, or an address that does not read, is not.
                if error.cause.kind == .protocolError { attempt = attempts }
            } catch let error as DICOMNetworkError {
                lastError = error
                if report.results.isEmpty, [.rejected, .noAcceptedContext, .invalid, .protocolError].contains(error.kind) || attempt == attempts {
                    throw error
                }
            }
        }
        // In the order the files were given, whatever became of each.
        let order = Dictionary(files.enumerated().map { ($0.element.path, $0.offset) }, uniquingKeysWith: { first, _ in first })
        report.results.sort { order[$0.file, default: 0] < order[$1.file, default: 0] }
        return report
    }

    /// The stores on one association; a transport failure midway comes out as
    /// ``PartialPush`` with what was done before it.
    private static func store(_ files: [(url: URL, parts: PartTenFile.Parts)], on association: Association,
                              progress: @Sendable (Result) -> Void) async throws -> [Result] {
        var done: [Result] = []
        for (url, parts) in files {
            var result = Result(file: url.path, sopClassUID: parts.sopClassUID, sopInstanceUID: parts.sopInstanceUID, status: .stored, detail: "")
            do {
                let whole: PartTenFile.Parts
                do {
                    whole = try PartTenFile.parts(of: Data(contentsOf: url))
                } catch {
                    throw DICOMNetworkError(.failed, "not sent: \(url.path) cannot be read: \(error)")
                }
                switch try await association.store(whole) {
                case .stored: break
                case .alreadyStored: result.status = .alreadyStored
                case .storedWithWarning(let status): (result.status, result.detail) = (.storedWithWarning, "warning 0x" + String(status, radix: 16, uppercase: true))
                case .busy(_, let words):
                    throw PartialPush(done: done, cause: DICOMNetworkError(.failed, "\(association.peer) is busy: \(words)"))
                case .refused(_, let words): (result.status, result.detail) = (.refused, words)
                }
            } catch let error as DICOMNetworkError where error.kind == .noAcceptedContext || error.kind == .failed {
                (result.status, result.detail) = (.refused, error.message)
            } catch let error as DICOMNetworkError {
                throw PartialPush(done: done, cause: error)
            } catch {
                throw PartialPush(done: done, cause: DICOMNetworkError(.aborted, "\(association.peer): \(error)"))
            }
            done.append(result)
            progress(result)
        }
        return done
    }

    /// Asks the archive to commit to every instance it stored (or already held), and waits
    /// up to `limit` for its report through `listener`. Instances the report does not name
    /// (or all, when it does not come) stay `pending`.
    public func commit(_ report: inout Report, listener: CommitmentListener, within limit: Duration) async throws {
        let sent = report.results.indices.filter { [.stored, .storedWithWarning, .alreadyStored].contains(report.results[$0].status) }
        guard !sent.isEmpty else { return }
        let transaction = "2.25." + String(UInt128.random(in: 1...UInt128.max))
        report.transactionUID = transaction
        let references = sent.map { StorageCommitment.Reference(sopClassUID: report.results[$0].sopClassUID, sopInstanceUID: report.results[$0].sopInstanceUID) }
        for index in sent { report.results[index].commitment = .pending }
        do {
            try await Association.run(to: peer, callingTitle: callingTitle, services: [PresentationService(StorageCommitment.sopClass)], timeout: timeout) { association in
                try await association.requestCommitment(transactionUID: transaction, references: references)
            }
        } catch {
            // The stores stand; only the commitment is left undone, and said why.
            for index in sent { report.results[index].commitmentDetail = "commitment not asked: \(error)" }
            return
        }
        guard let answer = await listener.report(for: transaction, within: limit) else {
            for index in sent { report.results[index].commitmentDetail = "no report from \(peer) within \(limit.components.seconds) s" }
            return
        }
        let committed = Set(answer.committed.map(\.sopInstanceUID))
        let failed = Dictionary(answer.failed.map { ($0.reference.sopInstanceUID, $0.reason) }, uniquingKeysWith: { first, _ in first })
        for index in sent {
            let uid = report.results[index].sopInstanceUID
            if committed.contains(uid) {
                report.results[index].commitment = .committed
            } else if let reason = failed[uid] {
                report.results[index].commitment = .failed
                report.results[index].commitmentDetail = StorageCommitment.failure(reason)
            }
        }
    }
}

extension DIMSEPusher {
    /// A file's first 64 KiB: its preamble and meta information.
    static func head(of file: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        return try handle.read(upToCount: 64 << 10) ?? Data()
    }
}

/// Stores done on an association before it broke, and why it broke.
struct PartialPush: Error {
    var done: [DIMSEPusher.Result]
    var cause: DICOMNetworkError
}
