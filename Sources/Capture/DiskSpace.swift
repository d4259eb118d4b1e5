import Foundation

/// Room for the recording on the archive's volume, as the tech needs it: time left at the
/// rate the recording is written, warnings before it runs out, and a reserve the video
/// never eats into, so the database, stills and audit trail always have room to say what
/// happened.
public struct DiskSpace: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable {
        case ok, warning, critical
    }

    /// Free bytes on the archive's volume.
    public var freeBytes: Int64
    /// Bytes kept free for the database, stills and audit: recording stops at this line.
    public var reserveBytes: Int64
    /// Seconds of recording left at the current data rate; nil before the rate is known.
    public var secondsLeft: Double?
    public var level: Level
    /// What the tech should know, when there is something.
    public var warning: String?

    /// Warnings at 30 and 10 minutes left (configurable through `warnings`).
    public init(freeBytes: Int64, reserveBytes: Int64, bytesPerSecond: Double?, warnings: [Double] = [30 * 60, 10 * 60]) {
        self.freeBytes = freeBytes
        self.reserveBytes = reserveBytes
        let usable = max(0, freeBytes - reserveBytes)
        secondsLeft = bytesPerSecond.flatMap { $0 > 0 ? Double(usable) / $0 : nil }
        let (early, late) = (warnings.max() ?? 1800, warnings.min() ?? 600)
        switch secondsLeft {
        case .some(let left) where left <= late:
            level = .critical
            warning = String(format: "DISK NEARLY FULL: about %.0f minutes of recording left. Stop soon or free space on the archive's disk.", left / 60)
        case .some(let left) where left <= early:
            level = .warning
            warning = String(format: "Disk filling: about %.0f minutes of recording left.", left / 60)
        default:
            level = .ok
            warning = nil
        }
    }

    /// Free bytes on the volume holding `path`; nil when it cannot be read.
    public static func free(at path: String) -> Int64? {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }

    /// The default reserve: 2 % of the volume, at least 1 GiB, at most a tenth of it.
    public static func defaultReserve(at path: String) -> Int64 {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return 1 << 30 }
        let size = Int64(status.f_blocks) * Int64(status.f_frsize)
        return min(max(1 << 30, size / 50), size / 10)
    }
}
