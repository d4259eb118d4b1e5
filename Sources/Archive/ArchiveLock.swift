import Foundation
import Synchronization

/// The archive's lock: `flock(2)` on `archive.lock` in the archive folder.
///
/// Everything that writes files into the archive (the daemon, `record`, `import`,
/// `backup` while it copies) holds it shared, so any number of them run together;
/// `verify --repair`, which moves files out of place into quarantine, holds it
/// exclusive, so it never moves a still a recorder has written but not yet claimed.
/// The kernel drops the lock with the process, so a crash or `kill -9` never leaves a
/// stale one behind.
public final class ArchiveLock: Sendable {
    public enum Mode: String, Sendable {
        case shared, exclusive
    }

    public let mode: Mode
    public let url: URL
    private let descriptor: Mutex<Int32>

    private init(mode: Mode, url: URL, descriptor: Int32) {
        self.mode = mode
        self.url = url
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        release()
    }

    /// The lock file of an archive.
    public static func url(in location: ArchiveLocation) -> URL {
        location.root.appendingPathComponent("archive.lock")
    }

    /// Takes the lock, waiting up to `wait` for whoever holds it the other way.
    ///
    /// - Parameters:
    ///   - purpose: what the caller is about to do, for the message when it cannot.
    ///   - waiting: told once, with the holders, when the lock is not free at once.
    /// - Throws: `ArchiveError(.conflict)` naming the processes that hold it (command and
    ///   pid) when it is still taken after `wait`; `.storage` when the file cannot be opened.
    public static func acquire(_ mode: Mode, in location: ArchiveLocation, wait: Duration = .seconds(5), purpose: String,
                               waiting: @Sendable (String) -> Void = { _ in }) async throws -> ArchiveLock {
        let url = url(in: location)
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, OwnerOnly.fileMode)
        guard descriptor >= 0 else {
            throw ArchiveError(.storage, "cannot open the archive's lock file \(url.path): \(String(cString: strerror(errno))); is \(location.root.path) an archive folder you can write to?")
        }
        let operation = (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB
        let deadline = ContinuousClock.now + wait
        var told = false
        while true {
            if flock(descriptor, operation) == 0 {
                return ArchiveLock(mode: mode, url: url, descriptor: descriptor)
            }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw ArchiveError(.storage, "cannot lock \(url.path): \(String(cString: strerror(code)))")
            }
            if ContinuousClock.now >= deadline { break }
            if !told {
                told = true
                waiting("waiting for \(describe(holders(of: url))) to let go of the archive")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        let holders = holders(of: url)
        close(descriptor)
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let waited = String(format: seconds == seconds.rounded() ? "%.0f" : "%.1f", seconds)
        switch mode {
        case .exclusive:
            throw ArchiveError(.conflict, "cannot \(purpose): the archive at \(location.root.path) is in use by \(describe(holders)) (waited \(waited) s). Repair moves files and must run alone: stop the recording, import or daemon (or let it finish), then run it again. Checking the archive without repairing it is safe at any time.")
        case .shared:
            throw ArchiveError(.conflict, "cannot \(purpose): \(describe(holders)) holds the archive at \(location.root.path) alone (waited \(waited) s); wait for it to finish, then try again")
        }
    }

    /// Lets go of the lock; again is harmless.
    public func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
            descriptor = -1
        }
    }

    // MARK: - Who holds it

    /// The processes holding a lock on the file (Linux's /proc/locks), as
    /// `needlelog record --patient P-1 ... (pid 4242)`; empty when they cannot be told.
    static func holders(of url: URL) -> [String] {
        var info = stat()
        guard lstat(url.path, &info) == 0, let table = readProcFile("/proc/locks") else { return [] }
        let inode = String(info.st_ino)
        var pids: [Int32] = []
        for line in table.split(separator: "\n") {
            // `3: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF`; waiters carry `->` and hold nothing.
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, !fields.contains("->"), fields[1] == "FLOCK",
                  fields[5].split(separator: ":").last.map(String.init) == inode,
                  let pid = Int32(fields[4]) else { continue }
            if !pids.contains(pid) { pids.append(pid) }
        }
        return pids.map { pid in
            guard let line = readProcFile("/proc/\(pid)/cmdline"), !line.isEmpty else { return "pid \(pid)" }
            var arguments = line.split(separator: "\0").map(String.init)
            if let program = arguments.first { arguments[0] = (program as NSString).lastPathComponent }
            var command = arguments.joined(separator: " ")
            if command.count > 120 { command = String(command.prefix(117)) + "..." }
            return "\(command) (pid \(pid))"
        }
    }

    /// A /proc file read to its end: they report a size of 0, and one with many locks
    /// (every SQLite database open holds some) spans many reads.
    static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func describe(_ holders: [String]) -> String {
        holders.isEmpty ? "another NeedleLog process" : holders.joined(separator: ", ")
    }
}

extension ArchiveLock {
    /// Writes the waiting notice to standard error, for the command line.
    public static let tell: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("needlelog: \(message)\n".utf8))
    }
}
