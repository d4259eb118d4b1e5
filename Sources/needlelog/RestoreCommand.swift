import ArgumentParser
import Archive
import Foundation

/// `needlelog restore SRC --archive DIR`: a backup back into a new archive folder, checked.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new archive folder, checking every file's SHA-256 against its manifest, then verify it.",
        discussion: """
            Refuses a folder that holds an archive or anything else: restore never writes over one. Nothing \
            is written when any file of the backup is missing or differs from the manifest. The restored \
            archive is then checked as `needlelog verify` and `needlelog audit verify` do (exit 2 on a problem).
            """
    )

    @Argument(help: ArgumentHelp("The backup folder (made by `needlelog backup`).", valueName: "src")) var source: String
    @Option(name: .customLong("archive"), help: ArgumentHelp("The new archive folder (must not exist, or be empty).", valueName: "dir"))
    var path: String

    func run() async throws {
        let location = ArchiveLocation(path: path)
        let restored = try await ArchiveBackup.restore(from: URL(fileURLWithPath: source), to: location)
        let manifest = restored.manifest
        print("restored \(manifest.stills) still(s), \(manifest.recordings) recording(s) and the database (schema v\(manifest.schemaVersion)) " +
              "from \(URL(fileURLWithPath: source).standardizedFileURL.path) to \(location); every SHA-256 matched the manifest")
        for id in restored.interrupted {
            print("session \(id.uuidString.lowercased().prefix(8)) was recording when the backup was taken: marked interrupted")
        }
        let store = try location.open(create: false)
        try await store.audit(AuditEvent(actor: UsersCommand.actor, action: .restore, target: "archive",
                                         detail: "from backup of \(manifest.createdAt.formatted(.iso8601))"))
        let report = try await store.verify(repair: false)
        let audit = try await store.verifyAudit()
        for problem in report.problems { print("  verify: \(problem)") }
        for problem in audit.problems { print("  audit: \(problem)") }
        print("verify: \(report.isHealthy ? "ok" : "\(report.problems.count) problem(s)"), \(report.stills) stills; " +
              "audit trail: \(audit.isIntact ? "intact" : "BROKEN"), \(audit.events) event(s)")
        if !report.isHealthy || !audit.isIntact { throw ExitCode(2) }
    }
}
