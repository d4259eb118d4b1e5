import Anatomy
import Foundation
import Records
import Testing
import Workflows

/// What an import starts from: the clips a list of files and folders names, and the tech's tags.
@Suite("clips and tag files for an import")
struct ClipImportTests {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-clips-" + UUID().uuidString)

    func write(_ name: String, _ text: String = "x") throws -> String {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("a folder gives its video files sorted by name (any case of extension); files pass as given, in order")
    func folders() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["b.MP4", "a.mkv", "c.mov", "notes.txt", "c.tags", "d.webm"] { _ = try write("day/" + name) }
        let single = try write("single.avi")
        let clips = try ClipImport.clips(in: [single, root.appendingPathComponent("day").path])
        #expect(clips.map { ($0 as NSString).lastPathComponent } == ["single.avi", "a.mkv", "b.MP4", "c.mov", "d.webm"])
        #expect(ClipImport.sidecarTags(of: clips[3]) == root.appendingPathComponent("day/c.tags").path)
        #expect(ClipImport.sidecarTags(of: clips[1]) == nil)
    }

    @Test("a folder without video is refused, naming it and what it needs")
    func emptyFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try write("empty/readme.txt")
        let folder = root.appendingPathComponent("empty").path
        let error = #expect(throws: WorkflowError.self) { try ClipImport.clips(in: [folder]) }
        #expect(error?.kind == .invalid)
        #expect(error?.message.hasPrefix("\(folder): no video files in this folder") == true)
        #expect(error?.message.contains(".mp4") == true && error?.message.contains("--") == false)
    }

    @Test("a tag file's events carry the tech; every bad line is named with the file; a missing file is said so")
    func tagFiles() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try write("good.tags", "# time site structure side\n00:12.5 L4-L5 facet-capsule left\n\n01:02 left SI joint\n")
        let events = try ClipImport.tags(fromFile: good, author: "sam")
        #expect(events.count == 2 && events.allSatisfy { $0.author == "sam" })
        #expect(events.map(\.time) == [12.5, 62])
        #expect(events[0].site.laterality == .left && events[0].structure?.rawValue == "facet-capsule")
        #expect(events[1].site.laterality == .left && events[1].structure == nil)

        let bad = try write("bad.tags", "00:10 L4-L5\n0x:20 L5-S1\n00:30 L9-L10\n")
        let error = #expect(throws: WorkflowError.self) { try ClipImport.tags(fromFile: bad, author: "sam") }
        #expect(error?.kind == .invalid)
        let lines = error?.message.split(separator: "\n").map(String.init) ?? []
        #expect(lines.first == "\(bad):" && lines.count == 3, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("line 2:") == true && lines.last?.hasPrefix("line 3:") == true)

        let missing = root.appendingPathComponent("missing.tags").path
        let unreadable = #expect(throws: WorkflowError.self) { try ClipImport.tags(fromFile: missing, author: "sam") }
        #expect(unreadable?.message.hasPrefix("\(missing): cannot read the tag file") == true)
    }
}
