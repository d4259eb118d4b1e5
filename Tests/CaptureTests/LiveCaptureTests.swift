import Anatomy
import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

/// Writes a clip's bytes into a FIFO at the pace the clip plays, as a capture card's
/// stream arrives, from a thread of its own.
final class PacedFeeder: @unchecked Sendable {
    let fifo: String
    private let bytes: Data
    private let duration: Double
    private let thread: Thread

    init(clip: String, fifo: String, duration: Double) throws {
        self.fifo = fifo
        bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        self.duration = duration
        guard mkfifo(fifo, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        let (bytes, duration) = (bytes, duration)
        thread = Thread {
            // Opening blocks until the reader opens its end; a reader killed later makes writes fail.
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            signal(SIGPIPE, SIG_IGN)
            let chunk = 8192
            let start = Date()
            for offset in stride(from: 0, to: bytes.count, by: chunk) {
                let due = Double(offset) / Double(bytes.count) * duration
                let wait = due - Date().timeIntervalSince(start)
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                do {
                    try handle.write(contentsOf: bytes[offset..<min(offset + chunk, bytes.count)])
                } catch {
                    return
                }
            }
            try? handle.close()
        }
        thread.start()
    }
}

/// Decodes every frame of a recording and returns the count (0 if it cannot be opened).
func decodableFrames(_ path: String) -> Int {
    guard let source = try? MediaSource(.file(path)), let decoder = try? VideoDecoder(for: source) else { return 0 }
    var frames = 0
    while let packet = try? source.nextPacket() { frames += (try? decoder.decode(packet).count) ?? 0 }
    frames += (try? decoder.flush().count) ?? 0
    return frames
}

@Suite("live capture from a pipe paced in real time", .serialized)
struct LiveCaptureTests {
    @Test("a paced MJPEG stream: every packet recorded, one still per freeze, tags and a late snap land")
    func pacedPipe() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("lumbar-capture-640x480")
        let fifo = f.root.appendingPathComponent("card.fifo").path
        _ = try PacedFeeder(clip: ImportFixture.clip(truth), fifo: fifo, duration: truth.durationSeconds)
        let session = try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                           treatment: try TreatmentNumber(1, of: 4))
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "matroska")), archive: f.archive, session: session)
        #expect(capture.session.status == .recording)
        try await Task.sleep(for: .seconds(4))
        _ = try await capture.tag(try AnatomicSite(parsing: "right L5-S1"), structure: TargetStructure.facetCapsule.id, author: "sam")
        // The footswitch was pressed 200 ms before the request got here.
        capture.snap(pressedAt: Date().addingTimeInterval(-0.2))
        let snapAsked = capture.elapsed - 0.2
        await capture.waitUntilEnded()

        let ended = capture.session
        #expect(ended.status == .completed)
        // Started without a region, the session takes the one its tags were in.
        let stored = try await f.archive.session(ended.id)
        #expect(ended.region == .lumbar && stored?.region == .lumbar)
        let c = capture.counters
        #expect(c.packets == truth.frameCount)
        #expect(c.packetsRecorded == c.packets)
        #expect(c.framesDecoded == truth.frameCount)
        #expect(decodableFrames(capture.recordingPath) == truth.frameCount)
        let stills = try await f.archive.stills(ofSession: ended.id)
        let freezes = stills.filter { $0.reason == .freeze }
        #expect(freezes.count == truth.freezes.count)
        for (still, freeze) in zip(freezes.sorted { $0.time < $1.time }, truth.freezes) {
            let frame = try #require(still.sourceFrame)
            #expect((freeze.firstFrame...freeze.lastFrame).contains(frame))
        }
        // The second freeze comes after the tag: it carries it.
        #expect(freezes.last?.tag?.site.description == "right L5-S1")
        let snap = try #require(stills.first { $0.reason == .snap })
        #expect(abs(snap.time - snapAsked) < 0.1)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }
}

@Suite("a recorder killed with SIGKILL loses at most a second", .serialized)
struct CrashTests {
    static let needlelog = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/needlelog").path

    @Test("killed at several points, the recording plays up to the last second and the index stays consistent",
          arguments: [2.5, 6.2])
    func killed(after seconds: Double) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("cervical-1280x720")   // H.264: fragmented MP4
        let fifo = f.root.appendingPathComponent("scanner.fifo").path
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: Self.needlelog)
        recorder.arguments = ["record", "--archive", f.root.path, "--pipe", fifo, "--format", "mp4", "--patient", "P-1",
                              "--status", "--status-every", "0.1"]
        recorder.standardOutput = FileHandle.nullDevice
        let statusLines = Pipe()
        recorder.standardError = statusLines
        // MP4 needs its index to be read: stream the fragmented copy the importer made.
        let imported = try await ClipImporter(archive: f.archive).importClip(ImportFixture.clip(truth), options: f.options(truth))
        let fragmented = f.root.appendingPathComponent(try #require(imported.session.recording).value).path
        _ = try PacedFeeder(clip: fragmented, fifo: fifo, duration: truth.durationSeconds)
        try recorder.run()
        try await Task.sleep(for: .seconds(seconds))
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        #expect(recorder.terminationReason == .uncaughtSignal)
        // What the recorder had received by its last status line (at most 0.1 s before the kill).
        let status = String(decoding: statusLines.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let received = status.split(separator: "\n").compactMap { line -> Int? in
            guard let data = String(line).data(using: .utf8),
                  let counters = try? JSONDecoder().decode(CaptureCounters.self, from: data) else { return nil }
            return counters.packetsRecorded
        }.last ?? 0
        #expect(received > Int(seconds - 1.5) * truth.framesPerSecond, "the recorder received \(received) packets")

        let sessions = try await f.archive.sessions(SessionFilter(status: .recording))
        let live = try #require(sessions.first?.session)
        let path = f.root.appendingPathComponent(try #require(live.recording).value).path
        let frames = decodableFrames(path)
        // Everything the recorder had received, but for at most the last second, plays.
        #expect(frames >= received - truth.framesPerSecond, "decoded \(frames) of \(received) frames received")
        #expect(frames <= truth.frameCount)
        // On the next start the session is marked interrupted; files and rows agree.
        let marked = try await f.archive.markInterruptedSessions()
        #expect(marked.map(\.id) == [live.id])
        #expect(try await f.archive.session(live.id)?.status == .interrupted)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("SIGTERM finishes the recording and completes the session")
    func terminated() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth("lumbar-capture-640x480")
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: Self.needlelog)
        recorder.arguments = ["record", "--archive", f.root.path, "--file", ImportFixture.clip(truth), "--patient", "P-1"]
        recorder.standardOutput = FileHandle.nullDevice
        recorder.standardError = FileHandle.nullDevice
        try recorder.run()
        try await Task.sleep(for: .seconds(3))
        recorder.terminate()
        recorder.waitUntilExit()
        #expect(recorder.terminationStatus == 0)
        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        #expect(session.status == .completed)
        let path = f.root.appendingPathComponent(try #require(session.recording).value).path
        let frames = decodableFrames(path)
        #expect(frames > 60 && frames < truth.frameCount)
        // A finished Matroska file knows its length.
        #expect(try MediaSource(.file(path)).video.duration ?? 0 > 2)
    }
}
