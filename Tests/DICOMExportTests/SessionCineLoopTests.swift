import Archive
import DICOMExport
import Foundation
import Media
import Records
import Testing
import Workflows

/// A session's whole recording (or a stretch of it) as one cine loop (issue 15 item 5):
/// `needlelog export video --session ID [--start S --end S]`.
@Suite("a session's recording as a cine loop")
struct SessionCineLoopTests {
    /// The fixture's session with the 720p H.264 sample as its recording.
    static func withRecording(_ f: ExportFixture) async throws -> URL {
        let clip = CineLoopTests.sampleData.appendingPathComponent("cervical-1280x720.mp4")
        let folder = f.archive.location.recordings
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: clip, to: folder.appendingPathComponent("whole.mp4"))
        var session = try #require(try await f.archive.session(f.session.id))
        session.recording = try ArchivePath("recordings/whole.mp4")
        try await f.archive.update(session)
        return clip
    }

    @Test("the whole recording, copied frame for frame, with the anatomy of the session's most-tagged site; audited")
    func wholeRecording() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let clip = try await Self.withRecording(f)
        let written = try await StillExport(archive: f.archive).writeCineLoop(session: f.session.id, start: nil, end: nil, to: f.out, by: "dr.lee")
        let frames = try #require(try MediaSource(.file(clip.path)).video.frameCount)
        #expect(written.facts.copied && written.facts.start == 0 && written.facts.frames == frames, "\(written.facts), \(frames) frames")
        let set = try DataSet(decoding: try PartTenFile.parts(of: Data(contentsOf: written.url)).dataSet, explicitVR: true)
        // Two of the three stills are right L5-S1 facet capsule: the loop is filed as lumbosacral.
        #expect(set.string(.bodyPartExamined) == "LSSPINE")
        #expect(set.string(.numberOfFrames) == String(frames))
        let verdict = try Verdict.of(written.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")
        let audit = try await f.archive.auditEvents(patient: f.patient.id.value)
        #expect(audit.contains { $0.action == "export" && $0.detail.hasPrefix("dicom cine loop of the recording 0.0-") })
    }

    @Test("a stretch of it; past the longest loop, no recording, or an end before the start: refused, saying what to give")
    func stretchesAndRefusals() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let export = StillExport(archive: f.archive)
        let none = await #expect(throws: WorkflowError.self) { try await export.writeCineLoop(session: f.session.id, start: nil, end: nil, to: f.out, by: "dr.lee") }
        #expect(none?.kind == .notFound && none?.message.contains("has no recording") == true)
        _ = try await Self.withRecording(f)
        let stretch = try await export.writeCineLoop(session: f.session.id, start: 1, end: 3, to: f.out, by: "dr.lee")
        #expect(stretch.facts.start <= 1 && stretch.facts.frames >= 59, "\(stretch.facts)")
        let long = await #expect(throws: WorkflowError.self) { try await export.writeCineLoop(session: f.session.id, start: 0, end: 400, to: f.out, by: "dr.lee") }
        #expect(long?.kind == .invalid && long?.message.contains("give --start and --end, or --around a still") == true, "\(String(describing: long))")
        let backwards = await #expect(throws: WorkflowError.self) { try await export.writeCineLoop(session: f.session.id, start: 5, end: 2, to: f.out, by: "dr.lee") }
        #expect(backwards?.kind == .invalid)
        // Nothing but the one loop written: no half file from the refusals.
        let written = try FileManager.default.subpathsOfDirectory(atPath: f.out.path).filter { $0.hasSuffix(".dcm") || $0.hasSuffix(".mp4") }
        #expect(written.count == 1, "\(written)")
    }
}
