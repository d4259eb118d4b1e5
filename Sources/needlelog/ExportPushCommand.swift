import ArgumentParser
import DICOMExport
import Foundation

/// `needlelog export push DIR_OR_FILES... --to URL [--stow]`: DICOM files to Orthanc's REST API,
/// or to a DICOMweb root by STOW-RS.
struct ExportPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send exported DICOM files to Orthanc (POST /instances) or a DICOMweb server (STOW-RS); pushing again adds no duplicates.",
        discussion: """
            Folders are searched for DICOM Part 10 files. With --stow, or a --to URL whose path ends in \
            /dicom-web or /dicomweb, the files go by DICOMweb STOW-RS (POST URL/studies, up to 50 files \
            per request); otherwise to Orthanc's REST API. Connection failures and server errors are \
            retried with doubling waits; a file the server refuses is reported and the rest still go.
            """
    )

    @Argument(help: ArgumentHelp("Folders (as written by export dicom) or .dcm files.", valueName: "dir-or-file")) var paths: [String]
    @Option(help: ArgumentHelp("Orthanc's base URL, such as http://localhost:8042, or a DICOMweb root, such as http://localhost:8042/dicom-web.", valueName: "url")) var to: String
    @Flag(help: "Send by DICOMweb STOW-RS to the DICOMweb root --to names (implied by a path ending in /dicom-web or /dicomweb).") var stow = false
    @Option(help: "Retries per request after the first try.") var retries = 3
    @Option(help: "Seconds to wait for the server's answer to one request.") var timeout = 30.0
    @Flag(help: "One JSON object per file.") var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give the folder `export dicom --out` wrote, or .dcm files") }
        if retries < 0 { throw ValidationError("--retries must be 0 or more, not \(retries)") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    func run() async throws {
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
}
