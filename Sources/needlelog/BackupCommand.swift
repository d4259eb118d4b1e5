import ArgumentParser
import Archive
import Foundation

/// `needlelog backup DEST`: a copy of the archive that can be taken while the daemon records.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the archive into a new folder, safely while the daemon records: database, stills, recordings and a manifest of SHA-256 hashes.",
        discussion: """
            The database is copied with SQLite's online backup (one consistent snapshot), then every still \
            and recording it refers to, then manifest.json with each file's size and SHA-256. DEST must be \
            new or empty; a backup that fails leaves nothing behind. Put it on another disk. Restore with \
            `needlelog restore DEST --archive NEWDIR`.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Argument(help: ArgumentHelp("The folder to write the backup into (new or empty).", valueName: "dest")) var destination: String
    @Flag(help: "JSON instead of text.") var json = false

    func run() async throws {
        let store = try await archive.open(create: false)
        // Shared, as a recorder's: the daemon goes on recording; a repair waits.
        let lock = try await ArchiveLock.acquire(.shared, in: store.location, wait: .seconds(60), purpose: "back up the archive",
                                                 waiting: ArchiveLock.tell)
        defer { lock.release() }
        let target = URL(fileURLWithPath: destination)
        let manifest = try await store.backup(to: target)
        try await store.audit(AuditEvent(actor: UsersCommand.actor, action: .backup, target: "archive",
                                         detail: "\(manifest.stills) still(s), \(manifest.recordings) recording(s) to \(target.standardizedFileURL.path)"))
        if json {
            struct Shown: Encodable { var destination: String; var stills, recordings: Int; var bytes: Int64; var schemaVersion: Int }
            print(try JSONOutput.line(Shown(destination: target.standardizedFileURL.path, stills: manifest.stills, recordings: manifest.recordings,
                                            bytes: manifest.bytes, schemaVersion: manifest.schemaVersion)))
        } else {
            print("backed up \(store.location) to \(target.standardizedFileURL.path): the database (schema v\(manifest.schemaVersion)), " +
                  "\(manifest.stills) still(s), \(manifest.recordings) recording(s), \(manifest.bytes / 1000) kB; " +
                  "\(ArchiveBackup.Manifest.fileName) has the SHA-256 of every file")
        }
    }
}
