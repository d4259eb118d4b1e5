import Foundation

/// Clinical data is readable by the account that runs NeedleLog and nobody else:
/// folders 0700, files 0600, whatever the umask of the shell that started it.
///
/// The command line sets the process umask to 077 at start (``restrictProcessUmask()``),
/// which covers files other libraries create (FFmpeg's recordings); what NeedleLog
/// creates itself gets its mode explicitly, so a library user with umask 022 gets
/// owner-only files too.
public enum OwnerOnly {
    public static let folderMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600
    /// Bits that let anyone but the owner in.
    public static let othersBits: mode_t = 0o077

    /// Sets the process umask to 077 so every file and folder created from here on,
    /// by any library, is the owner's alone. Call once at process start.
    public static func restrictProcessUmask() {
        umask(0o077)
    }

    /// Creates `folder` and any missing parent as 0700. A folder that already exists is
    /// left as it is (`verify` reports one that is too open inside an archive).
    ///
    /// - Throws: ``Failure`` naming the folder and the system's reason.
    public static func createFolder(_ folder: URL) throws(Failure) {
        let path = folder.standardizedFileURL.path
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: current, isDirectory: &isFolder) {
                guard isFolder.boolValue else { throw Failure("cannot create the folder \(path): \(current) is a file, not a folder") }
                break
            }
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for created in missing.reversed() {
            if mkdir(created, folderMode) != 0 {
                let code = errno
                var isFolder: ObjCBool = false
                // Another process (the daemon, a second command) made it first: fine.
                if code == EEXIST, FileManager.default.fileExists(atPath: created, isDirectory: &isFolder), isFolder.boolValue { continue }
                throw Failure("cannot create the folder \(created): \(String(cString: strerror(code)))")
            }
            // mkdir's mode passed through the umask; a stricter umask must not leave it unusable.
            chmod(created, folderMode)
        }
    }

    /// Opens a new file for writing as 0600; `exclusive` refuses a name that exists (and
    /// a symbolic link planted at it).
    ///
    /// - Returns: the descriptor, to be closed by the caller.
    public static func createFile(_ path: String, exclusive: Bool = true) throws(Failure) -> Int32 {
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        flags |= exclusive ? O_EXCL : O_TRUNC
        let descriptor = open(path, flags, fileMode)
        guard descriptor >= 0 else { throw Failure("cannot create \(path): \(String(cString: strerror(errno)))") }
        // An existing file (exclusive: false) keeps its mode through open: set it.
        fchmod(descriptor, fileMode)
        return descriptor
    }

    /// Writes all of `data` to `descriptor`, retrying short writes and EINTR.
    public static func writeAll(_ data: Data, to descriptor: Int32, name: String) throws(Failure) {
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 { throw Failure("cannot write \(name): \(String(cString: strerror(failure)))") }
    }

    /// The permission bits of a path (not following a symbolic link), or nil when it is gone.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Why creating a file or folder failed, in words.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
