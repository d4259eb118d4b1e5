import Foundation

/// Writes a file so that it is either whole at its final name or absent, even across
/// a power cut: write to a temporary name, fsync, rename, fsync the folder. The file
/// and any folder made for it are the owner's alone (0600, 0700), whatever the umask.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ data: Data, to destination: URL, staging: URL) throws {
        let folder = destination.deletingLastPathComponent()
        do {
            try OwnerOnly.createFolder(staging)
            try OwnerOnly.createFolder(folder)
        } catch {
            throw Failure(description: error.description)
        }
        let temporary = staging.appendingPathComponent(UUID().uuidString + ".partial")
        let descriptor: Int32
        do {
            descriptor = try OwnerOnly.createFile(temporary.path)
        } catch {
            throw Failure(description: error.description)
        }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            do {
                try OwnerOnly.writeAll(data, to: descriptor, name: destination.lastPathComponent)
            } catch {
                throw Failure(description: error.description)
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
