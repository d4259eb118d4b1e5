import Crypto
import Foundation
import Records

/// Still files inside the archive, named by the SHA-256 of their bytes.
///
/// A file is written under `incoming/`, flushed to disk, renamed into `stills/ab/`
/// and its folder flushed, all before its database row is written: after a crash
/// there can be a file without a row (found by `verify` as an orphan), never a row
/// without its file. Same bytes, same name, so a repeated still is stored once.
public struct StillFileStore: Sendable {
    public let location: ArchiveLocation

    public init(location: ArchiveLocation) {
        self.location = location
    }

    /// The path a still with this hash has.
    public func url(for hash: ContentHash) -> URL {
        let hex = hash.hexDigits
        return location.stills
            .appendingPathComponent(String(hex.prefix(2)), isDirectory: true)
            .appendingPathComponent(hex + ".png")
    }

    /// SHA-256 of some bytes.
    public static func hash(_ data: Data) -> ContentHash {
        // A SHA-256 digest is always 32 bytes, which ContentHash accepts.
        try! ContentHash(digest: SHA256.hash(data: data))
    }

    /// Stores the bytes durably and returns their hash. Storing the same bytes again
    /// writes nothing.
    @discardableResult
    public func store(_ data: Data) throws(ArchiveError) -> ContentHash {
        let hash = Self.hash(data)
        let destination = url(for: hash)
        if FileManager.default.fileExists(atPath: destination.path) { return hash }
        do {
            try DurableFile.write(data, to: destination, staging: location.incoming)
        } catch {
            throw ArchiveError(.storage, "could not store still \(hash.hexDigits.prefix(12)): \(error)")
        }
        return hash
    }

    /// Every still file present, by hash, and any file in `stills/` that is not named
    /// like one (a stray copy, an editor's backup).
    public func inventory() -> (stills: [ContentHash: URL], strays: [URL]) {
        var stills: [ContentHash: URL] = [:]
        var strays: [URL] = []
        let manager = FileManager.default
        guard let fanout = try? manager.contentsOfDirectory(at: location.stills, includingPropertiesForKeys: nil) else {
            return ([:], [])
        }
        for folder in fanout {
            guard let files = try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else {
                strays.append(folder)
                continue
            }
            for file in files {
                let name = file.deletingPathExtension().lastPathComponent
                if file.pathExtension == "png", name.hasPrefix(folder.lastPathComponent),
                   let hash = try? ContentHash(hexDigits: name) {
                    stills[hash] = file
                } else {
                    strays.append(file)
                }
            }
        }
        return (stills, strays)
    }

    /// The PNG bytes of a still, read from inside the archive only: a symbolic link in
    /// the still store (which NeedleLog never makes) is refused rather than followed.
    public func read(_ still: Still) throws -> Data {
        let url = url(for: still.fileHash)
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        if type == .typeSymbolicLink {
            throw ArchiveError(.storage, "the file of still \(still.id.uuidString.lowercased()) is a symbolic link, which the archive never makes: check the archive", remedy: .checkArchive)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ArchiveError(.notFound, "the file of still \(still.id.uuidString.lowercased()) is missing: check the archive", remedy: .checkArchive)
        }
    }
}
