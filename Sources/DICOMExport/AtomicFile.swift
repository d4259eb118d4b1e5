import Foundation

/// Writes a file so that it is either whole at its final name or absent: a temporary
/// name beside it, flushed, then renamed. An export that fails leaves no half file
/// for a PACS push to pick up.
enum AtomicFile {
    static func write(_ data: Data, to destination: URL) throws(DICOMExportError) {
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DICOMExportError(.storage, "cannot create the folder \(folder.path): \(reason(error)); choose an output folder you can write to")
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DICOMExportError(.storage, "cannot write in \(folder.path): \(String(cString: strerror(errno))); choose an output folder you can write to")
        }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary.path, destination.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw DICOMExportError(.storage, "cannot write \(destination.path): \(failure); nothing was left behind")
        }
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? error.localizedDescription
    }
}
