import Anatomy
import ArgumentParser
import Archive
import Capture
import Dispatch
import Foundation
import Media
import Records
import Workflows

/// `needlelog record`: records a live session from a capture card, a pipe, or a file
/// paced in real time, until the source ends or SIGINT/SIGTERM.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session from a capture device, a pipe or a file; stills at every freeze.",
        discussion: "Stops cleanly on Ctrl-C or SIGTERM: the recording is finished and the session marked completed."
    )

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var source: CaptureSourceOptions
    @Option(help: "The patient's identifier.") var patient: String
    @Option(help: "Treatment number of planned, e.g. 2/6.") var treatment = "1/1"
    @Option(help: "The physician's user name: an active physician account (may be left out when there is only one).") var physician: String?
    @Option(help: "The tech's user name: an active tech account (may be left out when there is only one).") var tech: String?
    @Flag(help: "Record raw sources losslessly (FFV1) instead of H.264.") var lossless = false
    @Flag(help: "Print JSON status lines (the counters) to standard error.") var status = false
    @Option(name: .customLong("status-every"), help: "Seconds between status lines.") var statusEvery = 1.0

    func validate() throws {
        guard statusEvery >= 0.05 else { throw ValidationError("--status-every must be at least 0.05 seconds") }
    }

    func run() async throws {
        let store = try await archive.open(create: true)
        let lock = try await ArchiveLock.acquire(.shared, in: store.location, wait: .seconds(60), purpose: "record", waiting: ArchiveLock.tell)
        defer { lock.release() }
        try await SessionRecovery.markInterrupted(in: store) { FileHandle.standardError.write(Data("record: \($0)\n".utf8)) }
        let session: ProcedureSession
        do {
            session = try await SessionPlanner(archive: store).newProcedure(patient: patient, treatment: treatment, physician: physician,
                                                                            tech: tech, indication: nil)
        } catch let error as WorkflowError where error.kind == .notFound {
            throw CommandError("\(error.message) (needlelog patients add \(patient) ...)")
        }
        let capture = try await LiveCapture(configuration: LiveCapture.Configuration(input: try source.input(), realTime: source.isFile,
                                                                                    lossless: lossless),
                                            archive: store, session: session)
        FileHandle.standardError.write(Data("record: session \(session.id.uuidString.lowercased().prefix(8)) recording to \(capture.recordingPath)\n".utf8))
        let signals = StopSignals {
            Task {
                do {
                    try await capture.stop()
                } catch {
                    // The recording is on disk; the next recorder to start marks the session interrupted.
                    FileHandle.standardError.write(Data("record: could not finish the session: \(error)\n".utf8))
                }
            }
        }
        let reporter = status ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(statusEvery))
                if let line = try? JSONOutput.line(capture.counters) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
        } : nil
        await capture.waitUntilEnded()
        reporter?.cancel()
        withExtendedLifetime(signals) {}
        let ended = capture.session
        let c = capture.counters
        print("session \(ended.id.uuidString.lowercased().prefix(8)) \(ended.status)\(ended.statusReason.map { " (\($0))" } ?? ""): " +
              "\(c.packets) packets recorded (\(c.recordingBytes / 1000) kB), \(c.framesDecoded) frames decoded, " +
              "\(c.framesAnalysed) analysed, \(c.framesThinned) thinned, \(c.framesSkipped) skipped, \(c.stills) stills, \(c.decodeErrors) decode errors")
        if ended.status == .failed { throw ExitCode.failure }
    }
}

/// Runs `stop` once on the first SIGINT or SIGTERM, instead of dying mid-write.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
