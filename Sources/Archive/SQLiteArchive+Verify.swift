import Foundation
import GRDB
import Records

extension SQLiteArchive {
    /// Checks the archive: SQLite's integrity, every row's parent, every still's file
    /// (present, and hashing to its name), and files that no row claims.
    ///
    /// With `repair`, orphan and stray files (and half-written leftovers in `incoming/`)
    /// are moved to `quarantine/<time>/`, keeping their paths: nothing is deleted. Rows
    /// without files cannot be repaired by moving and stay reported.
    public func verify(repair: Bool) async throws -> VerificationReport {
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
        for (hash, url) in present.sorted(by: { $0.key.hexDigits < $1.key.hexDigits }) {
            guard referenced.contains(hash.hexDigits) else {
                problems.append(.orphanFile(path: relative(url)))
                toQuarantine.append(url)
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
            problems.append(.strayFile(path: relative(url)))
            toQuarantine.append(url)
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(at: location.incoming, includingPropertiesForKeys: nil)) ?? []
        for url in leftovers.sorted(by: { $0.path < $1.path }) {
            problems.append(.strayFile(path: relative(url)))
            toQuarantine.append(url)
        }
        var quarantined: [String] = []
        if repair, !toQuarantine.isEmpty {
            quarantined = try moveToQuarantine(toQuarantine)
        }
        return VerificationReport(schemaVersion: database.version, stills: database.stills.count, files: present.count,
                                  problems: problems, quarantined: quarantined)
    }

    private func relative(_ url: URL) -> String {
        let root = location.root.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    private func moveToQuarantine(_ urls: [URL]) throws -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime]
        let folder = location.quarantine.appendingPathComponent(formatter.string(from: Date()).replacingOccurrences(of: ":", with: ""))
        var moved: [String] = []
        for url in urls {
            let destination = folder.appendingPathComponent(relative(url))
            do {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.moveItem(at: url, to: destination)
                moved.append(relative(destination))
            } catch {
                throw ArchiveError(.storage, "cannot move \(relative(url)) to quarantine: \(error.localizedDescription)")
            }
        }
        return moved
    }
}
