import Foundation

/// Where an archive lives on disk, and the fixed layout inside it.
///
/// Chosen in this order: an explicit folder (`--archive DIR`), `NEEDLELOG_ARCHIVE`,
/// `$XDG_DATA_HOME/needlelog`, then `~/.local/share/needlelog` (the XDG default).
public struct ArchiveLocation: Sendable, Equatable, CustomStringConvertible {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public init(path: String) {
        self.init(root: URL(fileURLWithPath: path, isDirectory: true))
    }

    /// The folder from the flag, else from the environment, else the XDG default.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ArchiveLocation {
        if let explicit, !explicit.isEmpty { return ArchiveLocation(path: explicit) }
        if let configured = environment["NEEDLELOG_ARCHIVE"], !configured.isEmpty { return ArchiveLocation(path: configured) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return ArchiveLocation(path: data + "/needlelog")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return ArchiveLocation(path: home + "/.local/share/needlelog")
    }

    /// The SQLite index (WAL mode, so `-wal` and `-shm` files sit beside it).
    public var database: URL { root.appendingPathComponent("archive.sqlite") }
    /// Still PNGs, named by their SHA-256 and fanned out by its first two hex digits.
    public var stills: URL { root.appendingPathComponent("stills", isDirectory: true) }
    /// Session recordings.
    public var recordings: URL { root.appendingPathComponent("recordings", isDirectory: true) }
    /// Where files are written before being renamed into place: inside the archive, so
    /// the rename never crosses a filesystem and stays atomic.
    public var incoming: URL { root.appendingPathComponent("incoming", isDirectory: true) }
    /// Where `verify --repair` moves what it finds out of place. Nothing is deleted.
    public var quarantine: URL { root.appendingPathComponent("quarantine", isDirectory: true) }

    /// The daemon's bearer token for the command line on the same machine; readable by
    /// its owner only, like the archive itself.
    public var stationToken: URL { root.appendingPathComponent("daemon.token") }

    public var description: String { root.path }
}
