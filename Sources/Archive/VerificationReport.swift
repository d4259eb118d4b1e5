import Foundation

/// What `verify` found. Healthy when `problems` is empty.
public struct VerificationReport: Sendable, Equatable {
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// A still's row names a file that is not there.
        case missingFile(still: UUID, hash: String)
        /// A file's bytes no longer hash to its name: it was changed or damaged.
        case hashMismatch(path: String, actual: String)
        /// A still file no row refers to (for example left by a crash between file and row).
        case orphanFile(path: String)
        /// A file in the stills folder not named like a still, or a half-written temporary.
        case strayFile(path: String)
        /// A row whose parent (session, patient) is missing.
        case orphanRow(table: String, row: String, missingParent: String)
        /// SQLite's own integrity check failed.
        case databaseDamaged(detail: String)
        /// A file or folder of the archive that others than its owner may read, write or
        /// enter (`mode` as found; files should be 0600, folders 0700).
        case looseMode(path: String, mode: Int, expected: Int)

        public var description: String {
            switch self {
            case .missingFile(let still, let hash): "missing file: still \(still.uuidString.lowercased()) needs \(hash).png"
            case .hashMismatch(let path, let actual): "hash mismatch: \(path) now hashes to \(actual)"
            case .orphanFile(let path): "orphan file: \(path) belongs to no still"
            case .strayFile(let path): "stray file: \(path)"
            case .orphanRow(let table, let row, let parent): "orphan row: \(table) \(row) refers to missing \(parent)"
            case .databaseDamaged(let detail): "database damaged: \(detail)"
            case .looseMode(let path, let mode, let expected):
                "open to others: \(path == "." ? "the archive folder" : path) is \(String(format: "%04o", mode)), should be \(String(format: "%04o", expected)) (owner only; a repair tightens it)"
            }
        }
    }

    public var schemaVersion: Int
    public var stills: Int
    public var files: Int
    public var problems: [Problem]
    /// Files moved to quarantine by `--repair`, with where they went.
    public var quarantined: [String]
    /// Files and folders whose mode `--repair` made owner-only.
    public var tightened: [String] = []
    /// Files that would be orphans or strays but were written less than a minute ago:
    /// a recorder or importer may be about to write their rows or rename them, so they
    /// are neither reported nor moved.
    public var leftAlone: [String] = []

    public var isHealthy: Bool { problems.isEmpty }
}
