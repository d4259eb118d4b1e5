import Foundation
import Records

/// What an import starts from, before ``ClipImporter`` reads a clip: the clips a list of
/// files and folders names, and the tech's tags for each from a tag file.
public enum ClipImport {
    /// The containers a folder is searched for.
    public static let videoExtensions: Set<String> = ["mp4", "mkv", "avi", "mov", "m4v", "ts", "mts", "webm"]

    /// Files as given; a folder gives its video files, sorted by name.
    /// - Throws: ``WorkflowError/Kind/invalid`` for a folder with no video file in it.
    public static func clips(in inputs: [String]) throws -> [String] {
        var clips: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue else {
                clips.append(input)
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted()
            let found = names.filter { videoExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            guard !found.isEmpty else {
                throw WorkflowError(.invalid, "\(input): no video files in this folder: it needs clips ending in "
                                    + videoExtensions.sorted().map { "." + $0 }.joined(separator: ", "))
            }
            clips += found.map { (input as NSString).appendingPathComponent($0) }
        }
        return clips
    }

    /// The tag file beside a clip (`clip.tags` for `clip.mp4`), when there is one.
    public static func sidecarTags(of clip: String) -> String? {
        let candidate = (clip as NSString).deletingPathExtension + ".tags"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// The tech's tags in a tag file (one `MM:SS.s SITE [STRUCTURE] [SIDE]` a line).
    /// - Throws: ``WorkflowError/Kind/invalid`` naming the file, and each wrong line with what would be right.
    public static func tags(fromFile path: String, author: String) throws -> [TagEvent] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw WorkflowError(.invalid, "\(path): cannot read the tag file (\(error.localizedDescription))")
        }
        do {
            return try TagFile(parsing: text, author: author).events
        } catch {
            throw WorkflowError(.invalid, "\(path):\n\(error)")
        }
    }
}
