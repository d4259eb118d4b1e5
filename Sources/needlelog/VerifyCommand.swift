import ArgumentParser
import Archive
import Foundation

/// `needlelog verify [--repair]`: exits non-zero on any problem.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the archive: database integrity, missing or changed still files, orphan files and rows, modes open to others, schema version.",
        discussion: """
            --repair takes the archive's lock alone, so it never runs beside a recording, an import or the \
            daemon (it says which holds the archive when it cannot); files written in the last minute are \
            left alone either way.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Flag(help: "Move orphan and stray files to the archive's quarantine folder (nothing is deleted) and make modes owner-only.")
    var repair = false
    @Option(name: .customLong("lock-wait"), help: ArgumentHelp("With --repair: seconds to wait for a recording, import or daemon to let go of the archive.", valueName: "seconds"))
    var lockWait = 5.0
    @Flag(help: "JSON instead of text.") var json = false

    func validate() throws {
        guard lockWait >= 0 && lockWait <= 3600 else { throw ValidationError("--lock-wait must be 0-3600 seconds, not \(lockWait)") }
    }

    func run() async throws {
        let store = try await archive.open(create: false)
        let lock = repair ? try await ArchiveLock.acquire(.exclusive, in: store.location, wait: .milliseconds(Int(lockWait * 1000)),
                                                          purpose: "repair the archive") : nil
        defer { lock?.release() }
        let report = try await store.verify(repair: repair)
        if json {
            struct Shown: Encodable {
                var schemaVersion, stills, files: Int
                var problems, quarantined, tightened, leftAlone: [String]
                var healthy: Bool
            }
            print(try JSONOutput.line(Shown(schemaVersion: report.schemaVersion, stills: report.stills, files: report.files,
                                            problems: report.problems.map(\.description), quarantined: report.quarantined,
                                            tightened: report.tightened, leftAlone: report.leftAlone, healthy: report.isHealthy)))
        } else {
            print("archive \(store.location): schema v\(report.schemaVersion), \(report.stills) stills, \(report.files) still files")
            for problem in report.problems { print("  \(problem)") }
            for moved in report.quarantined { print("  moved to \(moved)") }
            for path in report.tightened { print("  made owner-only: \(path)") }
            for path in report.leftAlone { print("  left alone (written in the last minute, may still be in progress): \(path)") }
            print(report.isHealthy ? "ok" : "\(report.problems.count) problem(s)")
        }
        if !report.isHealthy { throw ExitCode(2) }
    }
}
