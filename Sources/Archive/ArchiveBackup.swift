import Crypto
import Foundation
import GRDB
import Records

/// A copy of an archive that can be taken while the daemon records, and restored into
/// a new folder.
///
/// A backup folder holds `archive.sqlite` (SQLite's online backup of the index: one
/// consistent snapshot, whatever writes go on meanwhile), then the still and recording
/// files that snapshot refers to (and every file under `recordings/`), then
/// `manifest.json` with the size and SHA-256 of each file. A still's file is written
/// before its row, so every still of the snapshot has its file; a recording still being
/// written is copied as far as it goes, and plays up to its last complete fragment.
///
/// Both directions write into a temporary folder beside the destination and rename it
/// into place at the end: a failed backup or restore leaves nothing behind. Everything
/// written is owner-only (folders 0700, files 0600).
public enum ArchiveBackup {
    /// What `manifest.json` says.
    public struct Manifest: Codable, Sendable, Equatable {
        public static let fileName = "manifest.json"
        public static let currentFormat = "needlelog-backup"
        public static let currentVersion = 1

        public struct Entry: Codable, Sendable, Equatable {
            /// Relative to the archive folder: `archive.sqlite`, `stills/ab/<hash>.png`, `recordings/...`.
            public var path: String
            public var bytes: Int64
            /// Lowercase hex.
            public var sha256: String
        }

        public var format: String
        public var version: Int
        public var createdAt: Date
        /// The archive's schema version in the snapshot.
        public var schemaVersion: Int
        /// The archive folder it was taken from.
        public var source: String
        public var files: [Entry]

        public var stills: Int { files.filter { $0.path.hasPrefix("stills/") }.count }
        public var recordings: Int { files.filter { $0.path.hasPrefix("recordings/") }.count }
        public var bytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
    }

    /// What a restore did besides copying.
    public struct Restored: Sendable {
        public var manifest: Manifest
        /// Sessions that were recording when the backup was taken, now marked interrupted
        /// (their recordings play up to where the backup copied them).
        public var interrupted: [UUID]
    }

    // MARK: - Backup

    /// Copies `archive` into the new folder `destination` (created; an existing one must
    /// be empty).
    ///
    /// Hold a shared ``ArchiveLock`` meanwhile, so `verify --repair` moves nothing.
    /// - Throws: `ArchiveError(.conflict)` when `destination` is a file, a folder with
    ///   anything in it, or inside the archive; `.storage` when a copy fails (and then
    ///   nothing is left at or beside `destination`).
    @discardableResult
    public static func backup(_ archive: SQLiteArchive, to destination: URL) async throws -> Manifest {
        let destination = destination.standardizedFileURL
        let root = archive.location.root.path
        if destination.path == root || destination.path.hasPrefix(root + "/") {
            throw ArchiveError(.conflict, "cannot back up into \(destination.path): it is inside the archive \(root); give a folder outside it, best on another disk")
        }
        try requireNewFolder(destination, what: "back up into", hint: "give a new or empty folder: a backup never writes over another")
        let staging = try makeStaging(beside: destination, kind: "backup")
        do {
            let database = staging.appendingPathComponent("archive.sqlite")
            let snapshot = try await copyDatabase(archive, to: database)
            var entries = [try entry(for: database, path: "archive.sqlite")]
            for path in try filesToCopy(archive, referencedBy: snapshot) {
                let source = archive.location.root.appendingPathComponent(path)
                // A recording the snapshot names but that was never written (a failed start).
                guard FileManager.default.fileExists(atPath: source.path) else { continue }
                entries.append(try copy(source, to: staging.appendingPathComponent(path), path: path))
            }
            // Whole seconds, as the manifest's ISO 8601 keeps them.
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let manifest = Manifest(format: Manifest.currentFormat, version: Manifest.currentVersion, createdAt: now,
                                    schemaVersion: snapshot.schemaVersion, source: root, files: entries)
            try writeManifest(manifest, in: staging)
            try moveIntoPlace(staging, destination)
            return manifest
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// The database's snapshot: what the copy refers to.
    struct Snapshot {
        var schemaVersion: Int
        var stillHashes: [String]
        var recordings: [String]
    }

    private static func copyDatabase(_ archive: SQLiteArchive, to url: URL) async throws -> Snapshot {
        do {
            // Made 0600 first: SQLite would create it 0644 less the umask.
            close(try OwnerOnly.createFile(url.path))
            let copy = try DatabaseQueue(path: url.path)
            // One step: the whole database is read in one transaction, a consistent
            // snapshot however much the recorder writes meanwhile.
            try archive.pool.backup(to: copy)
            // One self-contained file, without a WAL beside it.
            try await copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let snapshot = try await copy.read { db in
                Snapshot(schemaVersion: try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                         stillHashes: try String.fetchAll(db, sql: "SELECT DISTINCT file_hash FROM still ORDER BY file_hash"),
                         recordings: try String.fetchAll(db, sql: "SELECT DISTINCT recording FROM session WHERE recording IS NOT NULL ORDER BY recording"))
            }
            try copy.close()
            return snapshot
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.storage, "cannot copy the database of \(archive.location.root.path) to \(url.path): \(error)")
        }
    }

    /// The stills the snapshot refers to, its recordings, and every other file under
    /// `recordings/` (a recording in parts may be listed elsewhere than the session row).
    private static func filesToCopy(_ archive: SQLiteArchive, referencedBy snapshot: Snapshot) throws -> [String] {
        var paths: [String] = []
        for hex in snapshot.stillHashes {
            guard let hash = try? ContentHash(hexDigits: hex) else { continue }
            paths.append(relative(archive.files.url(for: hash), to: archive.location.root))
        }
        var recordings = Set(snapshot.recordings)
        if let walker = FileManager.default.enumerator(at: archive.location.recordings, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                recordings.insert(relative(url, to: archive.location.root))
            }
        }
        return paths + recordings.sorted()
    }

    // MARK: - Restore

    /// Restores the backup in `source` as a new archive at `location`, after checking the
    /// size and SHA-256 of every file against the manifest.
    ///
    /// - Throws: `ArchiveError(.conflict)` when `location` holds an archive or anything
    ///   else; `.invalid` when `source` is not a backup, was written by a newer NeedleLog,
    ///   or any file is missing or differs from the manifest (all are named); nothing is
    ///   then written at `location`.
    public static func restore(from source: URL, to location: ArchiveLocation) async throws -> Restored {
        let source = source.standardizedFileURL
        let manifest = try readManifest(in: source)
        if FileManager.default.fileExists(atPath: location.database.path) {
            throw ArchiveError(.conflict, "there is already an archive at \(location.root.path): restore never writes over one. Choose a new folder for the restored archive; nothing was changed",
                             remedy: .chooseNewArchiveFolder)
        }
        try requireNewFolder(location.root, what: "restore into", hint: "choose a new or empty folder for the restored archive; nothing was changed")
        let staging = try makeStaging(beside: location.root, kind: "restore")
        do {
            var damaged: [String] = []
            for expected in manifest.files {
                let from = source.appendingPathComponent(expected.path)
                guard FileManager.default.fileExists(atPath: from.path) else {
                    damaged.append("\(expected.path) is missing")
                    continue
                }
                let copied = try copy(from, to: staging.appendingPathComponent(expected.path), path: expected.path)
                if copied.bytes != expected.bytes || copied.sha256 != expected.sha256 {
                    damaged.append("\(expected.path) has \(copied.bytes) bytes with SHA-256 \(copied.sha256.prefix(12))..., the manifest says \(expected.bytes) bytes, \(expected.sha256.prefix(12))...")
                }
            }
            if !damaged.isEmpty {
                let shown = damaged.prefix(10).joined(separator: "; ") + (damaged.count > 10 ? "; and \(damaged.count - 10) more" : "")
                throw ArchiveError(.invalid, "the backup at \(source.path) does not match its manifest: \(shown). Nothing was restored; restore from another backup")
            }
            try moveIntoPlace(staging, location.root)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        // Folders a backup does not carry (incoming/, empty recordings/) come with opening.
        let archive = try SQLiteArchive(location: location)
        let interrupted = try await archive.markInterruptedSessions().map(\.id)
        return Restored(manifest: manifest, interrupted: interrupted)
    }

    /// Reads and checks `manifest.json`: the format, a version this build reads, a schema
    /// it understands, and paths that stay inside the archive.
    public static func readManifest(in source: URL) throws -> Manifest {
        let url = source.appendingPathComponent(Manifest.fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ArchiveError(.invalid, "\(source.path) is not a NeedleLog backup: it has no \(Manifest.fileName); restore from a backup made of an archive", remedy: .makeBackup)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(Manifest.self, from: data), manifest.format == Manifest.currentFormat else {
            throw ArchiveError(.invalid, "\(url.path) is not a NeedleLog backup manifest (expected {\"format\": \"\(Manifest.currentFormat)\", \"files\": [...]})")
        }
        guard manifest.version <= Manifest.currentVersion else {
            throw ArchiveError(.invalid, "the backup at \(source.path) has manifest version \(manifest.version), written by a newer NeedleLog; this one reads up to version \(Manifest.currentVersion). Restore it with that NeedleLog")
        }
        guard manifest.schemaVersion <= ArchiveSchema.currentVersion else {
            throw ArchiveError(.invalid, "the backup at \(source.path) holds an archive with schema version \(manifest.schemaVersion), written by a newer NeedleLog; this one understands up to version \(ArchiveSchema.currentVersion). Restore it with that NeedleLog")
        }
        var seen = Set<String>()
        for entry in manifest.files {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            let allowed = entry.path == "archive.sqlite" || ((parts.first == "stills" || parts.first == "recordings") && parts.count >= 2)
            guard allowed, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }), seen.insert(entry.path).inserted else {
                throw ArchiveError(.invalid, "the manifest of \(source.path) lists \"\(entry.path)\", which is not a file of an archive (archive.sqlite, stills/..., recordings/...); nothing was restored")
            }
        }
        guard seen.contains("archive.sqlite") else {
            throw ArchiveError(.invalid, "the manifest of \(source.path) lists no archive.sqlite: it is not a whole backup; nothing was restored")
        }
        return manifest
    }

    // MARK: - Files

    /// Copies one file (as far as it is when read: a recording may be growing), hashing
    /// what was copied; owner-only, flushed to disk.
    private static func copy(_ source: URL, to destination: URL, path: String) throws -> Manifest.Entry {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw ArchiveError(.storage, "cannot read \(source.path): \(String(cString: strerror(errno)))")
        }
        defer { try? input.close() }
        let descriptor: Int32
        do {
            try OwnerOnly.createFolder(destination.deletingLastPathComponent())
            descriptor = try OwnerOnly.createFile(destination.path)
        } catch {
            throw ArchiveError(.storage, error.description)
        }
        defer { close(descriptor) }
        var hasher = SHA256()
        var bytes: Int64 = 0
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try OwnerOnly.writeAll(chunk, to: descriptor, name: destination.path)
                bytes += Int64(chunk.count)
            }
        } catch let error as OwnerOnly.Failure {
            throw ArchiveError(.storage, error.description)
        } catch {
            throw ArchiveError(.storage, "cannot read \(source.path): \(error.localizedDescription)")
        }
        guard fsync(descriptor) == 0 else {
            throw ArchiveError(.storage, "cannot flush \(destination.path) to disk: \(String(cString: strerror(errno)))")
        }
        return Manifest.Entry(path: path, bytes: bytes, sha256: hex(hasher.finalize()))
    }

    /// The entry of a file already in place (the database copy).
    private static func entry(for url: URL, path: String) throws -> Manifest.Entry {
        guard let input = FileHandle(forReadingAtPath: url.path) else {
            throw ArchiveError(.storage, "cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { try? input.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return Manifest.Entry(path: path, bytes: bytes, sha256: hex(hasher.finalize()))
    }

    private static func writeManifest(_ manifest: Manifest, in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let url = folder.appendingPathComponent(Manifest.fileName)
        do {
            let descriptor = try OwnerOnly.createFile(url.path)
            defer { close(descriptor) }
            try OwnerOnly.writeAll(try encoder.encode(manifest), to: descriptor, name: url.path)
            guard fsync(descriptor) == 0 else { throw OwnerOnly.Failure("cannot flush \(url.path): \(String(cString: strerror(errno)))") }
        } catch let error as OwnerOnly.Failure {
            throw ArchiveError(.storage, error.description)
        }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func relative(_ url: URL, to root: URL) -> String {
        String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
    }

    // MARK: - Folders

    /// A destination must be absent or an empty folder.
    private static func requireNewFolder(_ folder: URL, what: String, hint: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw ArchiveError(.conflict, "cannot \(what) \(folder.path): it is a file; \(hint)")
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard contents.isEmpty else {
            throw ArchiveError(.conflict, "cannot \(what) \(folder.path): the folder is not empty (\(contents.sorted().prefix(3).joined(separator: ", "))\(contents.count > 3 ? ", ..." : "")); \(hint)")
        }
    }

    /// A hidden folder beside `destination`, on the same filesystem so the final rename is atomic.
    private static func makeStaging(beside destination: URL, kind: String) throws -> URL {
        let staging = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(kind)-\(UUID().uuidString.lowercased().prefix(8)).partial")
        do {
            try OwnerOnly.createFolder(staging)
        } catch {
            throw ArchiveError(.storage, "\(error.description); give a destination in a folder you can write to")
        }
        return staging
    }

    /// Renames the finished folder to its name (replacing an empty folder there) and
    /// makes the rename durable.
    private static func moveIntoPlace(_ staging: URL, _ destination: URL) throws {
        // Every file is flushed already; their names in each folder too, then the rename.
        if let walker = FileManager.default.enumerator(at: staging, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                DurableFile.syncFolder(url)
            }
        }
        DurableFile.syncFolder(staging)
        guard rename(staging.path, destination.path) == 0 else {
            throw ArchiveError(.storage, "cannot move the finished copy to \(destination.path): \(String(cString: strerror(errno)))")
        }
        DurableFile.syncFolder(destination.deletingLastPathComponent())
    }
}

extension SQLiteArchive {
    /// SQLite's online backup of the database, then the files: see ``ArchiveBackup/backup(_:to:)``.
    @discardableResult
    public func backup(to destination: URL) async throws -> ArchiveBackup.Manifest {
        try await ArchiveBackup.backup(self, to: destination)
    }
}
