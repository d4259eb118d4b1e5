import ArgumentParser
import Archive
import Foundation

/// `needlelog migrate --to postgresql://...`: the embedded archive into the shared one.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the embedded archive into a shared PostgreSQL archive; a second run adds nothing.",
        discussion: """
            Copies patients, users, every session with its record, tags, scale, stills (and their files), \
            tag and needle revisions, needle suggestions, signature and addenda, then the audit trail with \
            its chain as it was. Each session is copied whole or not at all; one already there is left as \
            it is, so a run cut short is simply run again. Then both archives are checked (verify and \
            audit verify) and their counts compared; exit 2 when they differ. Stop the daemon first.
            """
    )

    @Option(name: .customLong("archive"), help: ArgumentHelp("The embedded archive to copy (default: $NEEDLELOG_ARCHIVE, else the XDG folder).", valueName: "dir"))
    var path: String?
    @Option(help: ArgumentHelp("The shared archive's database, postgresql://USER@HOST:PORT/DB (its password from $NEEDLELOG_DATABASE_PASSWORD or $NEEDLELOG_DATABASE_PASSWORD_FILE).", valueName: "address"))
    var to: String
    @Option(help: ArgumentHelp("The shared folder for its still and recording files (default: the embedded archive's own folder, its files used where they are).", valueName: "dir"))
    var files: String?

    func run() async throws {
        let address: DatabaseAddress
        do {
            address = try DatabaseAddress(parsing: to)
        } catch let error as ArchiveError {
            throw ValidationError("--to: \(error.message)")
        }
        let sourceLocation = ArchiveLocation.resolve(explicit: path)
        let source = try sourceLocation.open(create: false)
        let lock = try await ArchiveLock.acquire(.exclusive, in: sourceLocation, wait: .seconds(5), purpose: "migrate the archive")
        defer { lock.release() }
        let target = try await PostgresArchive.open(address, files: files.map(ArchiveLocation.init(path:)) ?? sourceLocation)
        defer { target.close() }
        let report = try await target.copy(from: source) { print("  \($0)") }
        print("copied \(report.patients) patient(s), \(report.accounts) user(s), \(report.sessions) session(s) with \(report.stills) still(s), \(report.auditEvents) audit event(s) into \(address)"
              + (report.sessionsPresent > 0 ? "; \(report.sessionsPresent) session(s) were there already" : ""))
        // Recordings are files the records name: the shared folder needs them too.
        if let files, ArchiveLocation(path: files).root != sourceLocation.root {
            try copyRecordings(from: sourceLocation, to: ArchiveLocation(path: files))
        }

        let (before, after) = (try await source.verify(repair: false), try await target.verify(repair: false))
        let (sourceTrail, targetTrail) = (try await source.verifyAudit(), try await target.verifyAudit())
        let sessions = (try await source.sessions(SessionFilter(limit: Int(Int32.max))).count,
                        try await target.sessions(SessionFilter(limit: Int(Int32.max))).count)
        print("embedded: \(sessions.0) session(s), \(before.stills) still(s), \(sourceTrail.events) audit event(s)\(before.isHealthy ? "" : ", \(before.problems.count) problem(s)")")
        print("shared:   \(sessions.1) session(s), \(after.stills) still(s), \(targetTrail.events) audit event(s)\(after.isHealthy ? "" : ", \(after.problems.count) problem(s)")")
        guard sessions.0 == sessions.1, before.stills == after.stills, sourceTrail.events == targetTrail.events,
              after.isHealthy, targetTrail.isIntact else {
            for problem in after.problems { print("  \(problem)") }
            for problem in targetTrail.problems { print("  \(problem)") }
            print("the two archives do not hold the same: see above; run migrate again once the cause is fixed")
            throw ExitCode(2)
        }
        print("both hold the same")
    }

    private func copyRecordings(from source: ArchiveLocation, to target: ArchiveLocation) throws {
        let manager = FileManager.default
        try OwnerOnly.createFolder(target.recordings)
        for name in (try? manager.contentsOfDirectory(atPath: source.recordings.path)) ?? [] {
            let destination = target.recordings.appendingPathComponent(name)
            if manager.fileExists(atPath: destination.path) { continue }
            try manager.copyItem(at: source.recordings.appendingPathComponent(name), to: destination)
        }
    }
}
