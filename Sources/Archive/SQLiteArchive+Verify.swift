import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// How long a file stays "being written": a still whose row is not yet committed, a
    /// temporary in `incoming/`. `verify` neither reports nor moves anything younger.
    public static let inFlightAge: TimeInterval = 60

    /// Checks the archive: SQLite's integrity, every row's parent, every still's file
    /// (present, and hashing to its name), files that no row claims, and files or folders
    /// open to other accounts than the owner.
    ///
    /// With `repair`, orphan and stray files (and half-written leftovers in `incoming/`)
    /// are moved to `quarantine/<time>/`, keeping their paths: nothing is deleted; modes
    /// open to others are tightened to the owner's. Rows without files cannot be repaired
    /// by moving and stay reported. Files younger than ``inFlightAge`` are left alone
    /// (listed in `leftAlone`): a recorder may be between a still's file and its row.
    /// Run repair under an exclusive ``ArchiveLock`` so no writer runs at the same time.
    public func verify(repair: Bool) async throws -> VerificationReport {
        try await verify(repair: repair, now: Date())
    }

    /// ``verify(repair:)`` with the time files' ages are measured from.
    public func verify(repair: Bool, now: Date) async throws -> VerificationReport {
        let database = try await read("check the database") { db in
            var problems: [VerificationReport.Problem] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] {
                problems += integrity.map { .databaseDamaged(detail: $0) }
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row["table"], parent: String = row["parent"]
                let rowid: Int64? = row["rowid"]
                problems.append(.orphanRow(table: table, row: rowid.map { "rowid \($0)" } ?? "?", missingParent: parent))
            }
            let stills = try Row.fetchAll(db, sql: "SELECT id, file_hash FROM still").map { row in
                (id: UUID(uuidString: row["id"]) ?? UUID(), hash: row["file_hash"] as String)
            }
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            return (problems: problems, stills: stills, version: version)
        }
        var problems = database.problems
        let (present, strays) = files.inventory()
        var referenced = Set<String>()
        for still in database.stills {
            referenced.insert(still.hash)
            guard let hash = try? ContentHash(hexDigits: still.hash), present[hash] != nil else {
                problems.append(.missingFile(still: still.id, hash: still.hash))
                continue
            }
        }
        var toQuarantine: [URL] = []
        var leftAlone: [String] = []
        /// Reports and queues a file out of place, unless it may still be being written.
        func outOfPlace(_ url: URL, _ problem: VerificationReport.Problem) {
            if Self.isInFlight(url, now: now) {
                leftAlone.append(relative(url))
            } else {
                problems.append(problem)
                toQuarantine.append(url)
            }
        }
        for (hash, url) in present.sorted(by: { $0.key.hexDigits < $1.key.hexDigits }) {
            guard referenced.contains(hash.hexDigits) else {
                outOfPlace(url, .orphanFile(path: relative(url)))
                continue
            }
            guard let data = try? Data(contentsOf: url) else {
                problems.append(.missingFile(still: UUID(), hash: hash.hexDigits))
                continue
            }
            let actual = StillFileStore.hash(data)
            if actual != hash {
                problems.append(.hashMismatch(path: relative(url), actual: actual.hexDigits))
            }
        }
        for url in strays.sorted(by: { $0.path < $1.path }) {
            outOfPlace(url, .strayFile(path: relative(url)))
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(at: location.incoming, includingPropertiesForKeys: nil)) ?? []
        for url in leftovers.sorted(by: { $0.path < $1.path }) {
            outOfPlace(url, .strayFile(path: relative(url)))
        }
        // What is about to move, or may still be being written, is not judged by its mode.
        let skipped = Set(toQuarantine.map(relative)).union(leftAlone)
        let loose = looseModes().filter { !skipped.contains($0.path) }
        problems += loose.map { .looseMode(path: $0.path, mode: Int($0.mode), expected: Int($0.expected)) }
        var quarantined: [String] = []
        var tightened: [String] = []
        if repair {
            if !toQuarantine.isEmpty { quarantined = try moveToQuarantine(toQuarantine) }
            tightened = try tighten(loose)
        }
        return VerificationReport(schemaVersion: database.version, stills: database.stills.count, files: present.count,
                                  problems: problems, quarantined: quarantined, tightened: tightened, leftAlone: leftAlone)
    }

    /// Whether the file was modified less than ``inFlightAge`` ago (or is gone already).
    static func isInFlight(_ url: URL, now: Date) -> Bool {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return true }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return now.timeIntervalSince1970 - modified < inFlightAge
    }

    private func relative(_ url: URL) -> String {
        let root = location.root.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    // MARK: - Modes

    struct LooseMode {
        var url: URL
        var path: String
        var mode: mode_t
        var expected: mode_t
    }

    /// Every file and folder in the archive (the folder itself included) that others
    /// than the owner may use. Symbolic links are not followed.
    func looseModes() -> [LooseMode] {
        var found: [LooseMode] = []
        func visit(_ url: URL, shown: String) {
            var info = stat()
            guard lstat(url.path, &info) == 0 else { return }
            let type = info.st_mode & S_IFMT
            let mode = info.st_mode & 0o7777
            let folder = type == S_IFDIR
            guard folder || type == S_IFREG else { return }
            let expected = folder ? OwnerOnly.folderMode : OwnerOnly.fileMode
            if mode & OwnerOnly.othersBits != 0 {
                found.append(LooseMode(url: url, path: shown, mode: mode, expected: expected))
            }
            guard folder else { return }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            for name in names {
                visit(url.appendingPathComponent(name), shown: shown == "." ? name : shown + "/" + name)
            }
        }
        visit(location.root, shown: ".")
        return found
    }

    /// Takes the others' bits off each; returns what was changed.
    private func tighten(_ loose: [LooseMode]) throws -> [String] {
        var changed: [String] = []
        for entry in loose {
            guard chmod(entry.url.path, entry.mode & ~OwnerOnly.othersBits) == 0 else {
                throw ArchiveError(.storage, "cannot make \(entry.path) owner-only: \(String(cString: strerror(errno))); repair it as the archive's owner")
            }
            changed.append(entry.path)
        }
        return changed
    }

    private func moveToQuarantine(_ urls: [URL]) throws -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime]
        let folder = location.quarantine.appendingPathComponent(formatter.string(from: Date()).replacingOccurrences(of: ":", with: ""))
        var moved: [String] = []
        for url in urls {
            let destination = folder.appendingPathComponent(relative(url))
            do {
                try OwnerOnly.createFolder(destination.deletingLastPathComponent())
                try FileManager.default.moveItem(at: url, to: destination)
                // Quarantine keeps patients' pictures too: owner-only like the rest.
                if let mode = OwnerOnly.mode(of: destination.path) { chmod(destination.path, mode & ~OwnerOnly.othersBits) }
                moved.append(relative(destination))
            } catch {
                let reason = (error as? OwnerOnly.Failure)?.description ?? error.localizedDescription
                throw ArchiveError(.storage, "cannot move \(relative(url)) to quarantine: \(reason)")
            }
        }
        return moved
    }
}
