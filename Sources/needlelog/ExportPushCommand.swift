import ArgumentParser
import DICOMExport
import DICOMNetwork
import Foundation

/// `needlelog export push DIR_OR_FILES... --to URL [--stow]`: DICOM files to Orthanc's REST API,
/// or to a DICOMweb root by STOW-RS.
struct ExportPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send exported DICOM files to a PACS: DICOM C-STORE (with storage commitment), Orthanc's REST API or DICOMweb STOW-RS.",
        discussion: """
            Folders are searched for DICOM Part 10 files. With --to dicom://AE@HOST:PORT the files go by \
            C-STORE over one association; --commit then asks the PACS to commit to them and waits for its \
            report on --listen-port (the PACS must know NeedleLog's AE title, host and that port). With \
            --stow, or a --to URL whose path ends in /dicom-web or /dicomweb, the files go by DICOMweb \
            STOW-RS (POST URL/studies, up to 50 files per request); otherwise to Orthanc's REST API. \
            Connection failures and server errors are retried with doubling waits; a file the server \
            refuses is reported and the rest still go. Pushing again adds no duplicates.
            """
    )

    @Argument(help: ArgumentHelp("Folders (as written by export dicom) or .dcm files.", valueName: "dir-or-file")) var paths: [String]
    @Option(help: ArgumentHelp("dicom://AE@HOST:PORT for C-STORE; Orthanc's base URL, such as http://localhost:8042; or a DICOMweb root, such as http://localhost:8042/dicom-web.", valueName: "url")) var to: String
    @Flag(help: "Send by DICOMweb STOW-RS to the DICOMweb root --to names (implied by a path ending in /dicom-web or /dicomweb).") var stow = false
    @Flag(help: "With dicom://: ask the PACS to commit to the instances (storage commitment) and wait for its report.") var commit = false
    @Option(help: "With dicom://: NeedleLog's own AE title, as the PACS knows it.") var aeTitle = "NEEDLELOG"
    @Option(help: "With --commit: the port the PACS sends its commitment report to.") var listenPort = 11113
    @Option(help: "With --commit: seconds to wait for the report; instances not reported stay pending.") var commitWait = 60.0
    @Option(help: "Retries per request after the first try.") var retries = 3
    @Option(help: "Seconds to wait for the server's answer to one request.") var timeout = 30.0
    @Flag(help: "One JSON object per file.") var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give the folder `export dicom --out` wrote, or .dcm files") }
        if retries < 0 { throw ValidationError("--retries must be 0 or more, not \(retries)") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
        if commit && !isDIMSE { throw ValidationError("--commit needs a DICOM peer: --to dicom://AE@HOST:PORT") }
        if !(1...65535).contains(listenPort) { throw ValidationError("--listen-port must be 1-65535, not \(listenPort)") }
        if !(timeout >= 0.1 && timeout <= 600) { throw ValidationError("--timeout must be 0.1-600 seconds, not \(timeout)") }
        if !(commitWait >= 1 && commitWait <= 3600) { throw ValidationError("--commit-wait must be 1-3600 seconds, not \(commitWait)") }
    }

    private var isDIMSE: Bool { to.lowercased().hasPrefix("dicom://") }

    func run() async throws {
        if isDIMSE { return try await pushDIMSE() }
        guard let url = URL(string: to) else { throw ValidationError("--to \(to) is not a URL: write http://host:8042") }
        let api: PACSPusher.API = stow || PACSPusher.isDICOMwebRoot(url) ? .stowRS : .orthancREST
        let pusher = try PACSPusher(server: url, api: api, attempts: retries + 1, timeout: timeout)
        let files = try PACSPusher.files(in: paths)
        let terminal = isatty(STDERR_FILENO) == 1
        var done = 0
        let report = try await pusher.push(files) { file, outcome in
            done += 1
            if json {
                struct Line: Encodable { var file: String; var status: String }
                if let line = try? JSONOutput.line(Line(file: file.path, status: outcome?.rawValue ?? "refused")) { print(line) }
            } else if terminal {
                FileHandle.standardError.write(Data("\rpushing \(done)/\(files.count)\u{1B}[K".utf8))
            }
        }
        if terminal && !json { FileHandle.standardError.write(Data("\n".utf8)) }
        for warning in report.warnings {
            FileHandle.standardError.write(Data("push: \(warning.file.path) stored with \(warning.reason)\n".utf8))
        }
        for refusal in report.refused {
            FileHandle.standardError.write(Data("push: \(refusal.file.path) refused: \(refusal.reason)\n".utf8))
        }
        if !json {
            print("pushed \(files.count) file(s) to \(to)\(api == .stowRS ? " by STOW-RS" : ""): \(report.stored) stored, \(report.alreadyStored) already there, \(report.refused.count) refused")
        }
        if !report.refused.isEmpty {
            throw CommandError("\(report.refused.count) file(s) refused by \(to); see the reasons above")
        }
    }

    /// C-STORE over DIMSE, then storage commitment with --commit.
    private func pushDIMSE() async throws {
        let pusher: DIMSEPusher
        do {
            pusher = try DIMSEPusher(peer: ApplicationEntity(parsing: to), callingTitle: aeTitle, attempts: retries + 1, timeout: .milliseconds(Int(timeout * 1000)))
        } catch {
            throw ValidationError("\(error)")
        }
        let files = try PACSPusher.files(in: paths)
        // Listening before anything is sent: a PACS may report as soon as it is asked.
        let listener = commit ? try await CommitmentListener.start(title: aeTitle, port: listenPort) : nil
        let terminal = isatty(STDERR_FILENO) == 1 && !json
        let started = ContinuousClock.now
        var report: DIMSEPusher.Report
        do {
            let done = Counter()
            report = try await pusher.push(files) { _ in
                let count = done.increment()
                if terminal { FileHandle.standardError.write(Data("\rpushing \(count)/\(files.count)\u{1B}[K".utf8)) }
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            if let listener {
                try await pusher.commit(&report, listener: listener, within: .milliseconds(Int(commitWait * 1000)))
            }
        } catch let error as DICOMNetworkError {
            await listener?.stop()
            throw CommandError("push: \(error)")
        }
        await listener?.stop()
        let elapsed = ContinuousClock.now - started
        if json {
            for result in report.results { if let line = try? JSONOutput.line(result) { print(line) } }
        } else {
            for result in report.results where [.refused, .notSent].contains(result.status) {
                FileHandle.standardError.write(Data("push: \(result.file) \(result.status.rawValue): \(result.detail)\n".utf8))
            }
            for result in report.results where result.commitment == .failed {
                FileHandle.standardError.write(Data("push: \(result.file) not committed: \(result.commitmentDetail ?? "")\n".utf8))
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            var line = String(format: "pushed %d file(s) to %@ by C-STORE in %.1f s: %d stored, %d already there, %d refused, %d not sent",
                              files.count, pusher.peer.description, seconds, report.count(.stored) + report.count(.storedWithWarning),
                              report.count(.alreadyStored), report.count(.refused), report.count(.notSent))
            if commit {
                line += "; committed \(report.count(.committed)), failed \(report.count(.failed)), pending \(report.count(.pending))"
            }
            print(line)
        }
        let bad = report.count(.refused) + report.count(.notSent) + report.count(.failed)
        if bad > 0 { throw CommandError("\(bad) file(s) not stored or not committed by \(pusher.peer); see the reasons above") }
    }
}

/// A count shared with a progress callback.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
