import Archive
import Foundation

/// Writes a file so that it is either whole at its final name or absent: a temporary
/// name beside it, flushed, then renamed. An export that fails leaves no half file
/// for a PACS push to pick up. Files are 0600 and folders made for them 0700: an
/// export holds patients' pictures, for its owner to pass on, not for every account.
enum AtomicFile {
    static func write(_ data: Data, to destination: URL) throws(DICOMExportError) {
        let folder = destination.deletingLastPathComponent()
        do {
            try OwnerOnly.createFolder(folder)
        } catch {
            throw DICOMExportError(.storage, "cannot create the folder \(folder.path): \(reason(error, creating: folder)); choose an output folder you can write to")
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, OwnerOnly.fileMode)
        guard descriptor >= 0 else {
            throw DICOMExportError(.storage, "cannot write in \(folder.path): \(String(cString: strerror(errno))); choose an output folder you can write to")
        }
        var failure: String?
        do { try OwnerOnly.writeAll(data, to: descriptor, name: destination.lastPathComponent) } catch { failure = "\(error)" }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary.path, destination.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw DICOMExportError(.storage, "cannot write \(destination.path): \(failure); nothing was left behind")
        }
    }

    /// Why a folder could not be created, in words: Foundation's own message on Linux
    /// is a bare "error 512".
    static func reason(_ error: Error, creating folder: URL) -> String {
        var ancestor = folder.deletingLastPathComponent()
        while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder), !isFolder.boolValue {
            return "\(ancestor.path) is a file, not a folder"
        }
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if access(ancestor.path, W_OK) != 0 { return String(cString: strerror(errno)) }
        return error.localizedDescription
    }
}
