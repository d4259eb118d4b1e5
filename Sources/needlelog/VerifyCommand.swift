import ArgumentParser
import Archive
import Foundation

/// `needlelog verify [--repair]`: exits non-zero on any problem.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the archive: database integrity, missing or changed still files, orphan files and rows, schema version."
    )

    @OptionGroup var archive: ArchiveOptions
    @Flag(help: "Move orphan and stray files to the archive's quarantine folder (nothing is deleted).")
    var repair = false
    @Flag(help: "JSON instead of text.") var json = false

    func run() async throws {
        let store = try archive.open(create: false)
        let report = try await store.verify(repair: repair)
        if json {
            struct Shown: Encodable { var schemaVersion, stills, files: Int; var problems, quarantined: [String]; var healthy: Bool }
            print(try JSONOutput.line(Shown(schemaVersion: report.schemaVersion, stills: report.stills, files: report.files,
                                            problems: report.problems.map(\.description), quarantined: report.quarantined,
                                            healthy: report.isHealthy)))
        } else {
            print("archive \(store.location): schema v\(report.schemaVersion), \(report.stills) stills, \(report.files) still files")
            for problem in report.problems { print("  \(problem)") }
            for moved in report.quarantined { print("  moved to \(moved)") }
            print(report.isHealthy ? "ok" : "\(report.problems.count) problem(s)")
        }
        if !report.isHealthy { throw ExitCode(2) }
    }
}
