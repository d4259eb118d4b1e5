import Foundation

/// The daemon's bearer token on disk: written owner-only and renamed into place, read
/// by `needlelog start|tag|snap|stop|status` on the same machine.
enum StationToken {
    static func write(_ token: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".daemon.token.\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot write \(temporary.path): the daemon needs to write its token into the archive folder")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandError("cannot move the daemon's token into place at \(url.path)")
        }
    }

    static func read(from url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
