import Archive
import Foundation

/// The daemon's bearer token on disk: created owner-only (0600, O_EXCL, so nothing
/// planted at the temporary name is followed or reused), flushed and renamed into
/// place; read by `needlelog start|tag|snap|stop|status` on the same machine.
enum StationToken {
    static func write(_ token: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".daemon.token.\(getpid())")
        // Left by an earlier daemon with the same pid that died mid-write: never reused.
        unlink(temporary.path)
        do {
            let descriptor = try OwnerOnly.createFile(temporary.path, exclusive: true)
            defer { close(descriptor) }
            try OwnerOnly.writeAll(Data(token.utf8), to: descriptor, name: temporary.lastPathComponent)
            guard fsync(descriptor) == 0 else { throw OwnerOnly.Failure("cannot flush \(temporary.path): \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temporary.path)
            throw CommandError("\(error): the daemon needs to write its token into the archive folder")
        }
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw CommandError("cannot move the daemon's token into place at \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    static func read(from url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
