import Foundation
import Records

/// The file side of `verify`, the same for every store: every still's file present and
/// hashing to its name, files no row claims, leftovers in `incoming/`, and files or
/// folders open to other accounts than the owner; with `repair`, what is out of place
/// moves to `quarantine/` and loose modes are tightened.
struct ArchiveFolderCheck {
    /// How long a file stays "being written"; nothing younger is reported or moved.
    static let inFlightAge: TimeInterval = 60

    let location: ArchiveLocation
    let files: StillFileStore

    /// - Parameter stills: every still row's id and file hash, as the database has them.
    func report(databaseProblems: [VerificationReport.Problem], stills: [(id: UUID, hash: String)], schemaVersion: Int,
                repair: Bool, now: Date) throws -> VerificationReport {
        var problems = databaseProblems
        let (present, strays) = files.inventory()
        var referenced = Set<String>()
        for still in stills {
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
        return VerificationReport(schemaVersion: schemaVersion, stills: stills.count, files: present.count,
                                  problems: problems, quarantined: quarantined, tightened: tightened, leftAlone: leftAlone)
    }

    /// Whether the file was modified less than ``inFlightAge`` ago (or is gone already).
    static func isInFlight(_ url: URL, now: Date) -> Bool {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return true }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return now.timeIntervalSince1970 - modified < Self.inFlightAge
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
