import Foundation

/// Writes a file so that it is either whole at its final name or absent, even across
/// a power cut: write to a temporary name, fsync, rename, fsync the folder.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ data: Data, to destination: URL, staging: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        let folder = destination.deletingLastPathComponent()
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = staging.appendingPathComponent(UUID().uuidString + ".partial")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(temporary.path): \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw Failure(description: "cannot write \(destination.lastPathComponent): \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw Failure(description: "cannot flush to disk: \(String(cString: strerror(errno)))") }
            close(descriptor)
            closed = true
            guard rename(temporary.path, destination.path) == 0 else {
                throw Failure(description: "cannot move into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        syncFolder(folder)
    }

    /// Makes a rename in `folder` durable.
    static func syncFolder(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
