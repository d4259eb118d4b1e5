import Anatomy
import Archive
import Foundation
import Media
import Records
import Synchronization
import Testing
@testable import Capture

/// A capture card's MJPEG stream written by the test itself, picture by picture, into a
/// FIFO: at a steady rate, and with pauses in which the write end stays open (a stalled
/// source, not a lost one). Every picture's bytes are kept, so the recording can be
/// compared with what was sent.
final class JPEGFeed: @unchecked Sendable {
    enum Step: Sendable {
        case pictures([Data], rate: Double)
        /// Nothing written for this long; the pipe stays open.
        case pause(Double)
    }

    struct Progress: Sendable {
        /// Pictures written so far.
        var written = 0
        /// When each pause began and ended on the wall clock.
        var pauses: [(began: Date, ended: Date?)] = []
        var closed = false
        var failure: String?
    }

    let fifo: String
    let steps: [Step]
    private let state = Mutex(Progress())

    /// Every picture, in the order written.
    var pictures: [Data] {
        steps.flatMap { step -> [Data] in
            if case .pictures(let pictures, _) = step { return pictures }
            return []
        }
    }

    var progress: Progress { state.withLock { $0 } }

    /// Starts writing, from a thread of its own, as soon as a reader opens the FIFO (which must exist).
    init(fifo: String, steps: [Step]) {
        self.fifo = fifo
        self.steps = steps
        Thread { [self] in write() }.start()
    }

    private func write() {
        signal(SIGPIPE, SIG_IGN)
        // Opening blocks until the reader opens its end.
        guard let handle = FileHandle(forWritingAtPath: fifo) else {
            state.withLock { $0.failure = "could not open \(fifo) for writing" }
            return
        }
        defer {
            try? handle.close()
            state.withLock { $0.closed = true }
        }
        for step in steps {
            switch step {
            case .pictures(let pictures, let rate):
                let start = Date()
                for (index, picture) in pictures.enumerated() {
                    let wait = Double(index) / rate - Date().timeIntervalSince(start)
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    do {
                        try handle.write(contentsOf: picture)
                    } catch {
                        state.withLock { $0.failure = "write failed after \($0.written) pictures: \(error)" }
                        return
                    }
                    state.withLock { $0.written += 1 }
                }
                // The last picture stays on screen for a frame before what comes next.
                Thread.sleep(forTimeInterval: 1 / rate)
            case .pause(let seconds):
                state.withLock { $0.pauses.append((Date(), nil)) }
                Thread.sleep(forTimeInterval: seconds)
                state.withLock { $0.pauses[$0.pauses.count - 1].ended = Date() }
            }
        }
    }

    /// Waits (politely) until `condition` holds for the progress, or `seconds` pass.
    func wait(upTo seconds: Double, until condition: (Progress) -> Bool) async {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !condition(progress) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// JPEG pictures made by ffmpeg from a clip: `count` of them through `filter`.
    static func pictures(from clip: String, filter: String, count: Int, into folder: URL, name: String) throws -> [Data] {
        let pattern = folder.appendingPathComponent("\(name)-%03d.jpg").path
        try FFmpegCLI.run(["-y", "-i", clip, "-vf", filter, "-frames:v", String(count), "-q:v", "4", "-f", "image2", pattern])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(name + "-") && $0.hasSuffix(".jpg") }.sorted()
        return try files.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }
}

/// What a recording holds: each packet's bytes against the pictures sent, and each
/// decoded frame's size and time.
struct RecordedPictures {
    var packets: [Data] = []
    var frames: [(width: Int, height: Int, time: Double)] = []

    init(_ path: String) throws {
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        func keep(_ decoded: [Frame]) { frames += decoded.map { ($0.width, $0.height, $0.time ?? .nan) } }
        while let packet = try source.nextPacket() {
            packets.append(packet.data)
            keep(try decoder.decode(packet))
        }
        keep(try decoder.flush())
    }

    /// Runs of equal picture sizes, in order: [(1280, 720, 60), ...].
    var sizeRuns: [(width: Int, height: Int, count: Int)] {
        var runs: [(width: Int, height: Int, count: Int)] = []
        for frame in frames {
            if let last = runs.last, last.width == frame.width, last.height == frame.height {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((frame.width, frame.height, 1))
            }
        }
        return runs
    }

    /// The largest step between consecutive frame times, and the index of the frame after it.
    var largestGap: (seconds: Double, before: Int) {
        var best = (seconds: 0.0, before: 0)
        for index in frames.indices.dropFirst() {
            let step = frames[index].time - frames[index - 1].time
            if step > best.seconds { best = (step, index) }
        }
        return best
    }
}

// The name ends in LiveCaptureTests so tools/test runs it with the real-time suites, alone.
/// Faults at the table (issue 22) on the source's side: the scanner changes its output
/// resolution mid-session, and the feed stalls without closing.
@Suite("a live source that changes picture size or stalls", .serialized)
struct SourceFaultLiveCaptureTests {
    static func session() throws -> ProcedureSession {
        try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                             treatment: try TreatmentNumber(1, of: 4))
    }

    /// A folder beside the archive (not in it: verify would rightly call files there strays).
    static func scratch(besides root: URL) throws -> URL {
        let folder = root.deletingLastPathComponent().appendingPathComponent("pictures-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("the scanner goes 1280x720 -> 1920x1080 -> 1280x720 on an MJPEG pipe: one session, stills at each size, every picture recorded")
    func pictureSizeChanges() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let folder = try Self.scratch(besides: f.root)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cervical = ImportFixture.clip(try ImportFixture.truth("cervical-1280x720"))
        let lumbar = ImportFixture.clip(try ImportFixture.truth("lumbar-1920x1080-60fps"))
        // Two seconds each, at 30 fps, from stretches without a freeze (so no freeze still
        // repeats a snap's picture and hides it as a duplicate).
        let segments: [(pictures: [Data], width: Int, height: Int)] = [
            (try JPEGFeed.pictures(from: cervical, filter: "select=gte(n\\,110)", count: 60, into: folder, name: "a"), 1280, 720),
            (try JPEGFeed.pictures(from: lumbar, filter: "fps=30", count: 60, into: folder, name: "b"), 1920, 1080),
            (try JPEGFeed.pictures(from: cervical, filter: "select=gte(n\\,300)", count: 60, into: folder, name: "c"), 1280, 720),
        ]
        #expect(segments.map(\.pictures.count) == [60, 60, 60])
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let feed = JPEGFeed(fifo: fifo, steps: segments.map { .pictures($0.pictures, rate: 30) })
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive,
                                            session: try Self.session())
        // A snap a second into each segment: a second either side to the next size.
        var sent = 0
        for segment in segments {
            let midway = sent + segment.pictures.count / 2
            await feed.wait(upTo: 20) { $0.written >= midway || $0.closed }
            capture.snap()
            sent += segment.pictures.count
        }
        await capture.waitUntilEnded()
        #expect(feed.progress.failure == nil, "\(feed.progress.failure ?? "")")

        let ended = capture.session
        #expect(ended.status == .completed && ended.statusReason == nil, "\(ended.status) \(ended.statusReason ?? "")")
        let counters = capture.counters
        #expect(counters.packets == 180 && counters.packetsRecorded == 180, "\(counters)")
        #expect(counters.framesDecoded == 180 && counters.decodeErrors == 0, "\(counters)")

        let stills = try await f.archive.stills(ofSession: ended.id)
        let snaps = stills.filter { $0.reason == .snap }.sorted { $0.time < $1.time }
        #expect(snaps.count == 3, "\(stills.map { "\($0.reason) \($0.time) \($0.width)x\($0.height)" })")
        for (snap, segment) in zip(snaps, segments) {
            let picture = try PNG.decode(try f.archive.png(of: snap)).image
            #expect(picture.width == segment.width && picture.height == segment.height,
                    "snap at \(snap.time) s is \(picture.width)x\(picture.height), the segment \(segment.width)x\(segment.height)")
            #expect(snap.width == picture.width && snap.height == picture.height)
        }
        // Every still, snap or freeze, is one of the sizes sent.
        #expect(stills.allSatisfy { [1280, 1920].contains($0.width) && [720, 1080].contains($0.height) })

        // The recording: what the product does with a size change on an MJPEG pipe.
        #expect(capture.recordingPath.hasSuffix(".mp4"), "MJPEG is recorded in fragmented MP4")
        let header = try MediaSource(.file(capture.recordingPath)).video
        let recorded = try RecordedPictures(capture.recordingPath)
        // Copied packet for packet: each picture's bytes as they were sent, in order.
        let all = segments.flatMap(\.pictures)
        #expect(recorded.packets.count == all.count)
        #expect(zip(recorded.packets, all).allSatisfy { $0 == $1 }, "the recording's packets are not the pictures sent")
        // And it plays to its end, each picture at its own size.
        let runs = recorded.sizeRuns
        #expect(runs.map { "\($0.width)x\($0.height)x\($0.count)" } == ["1280x720x60", "1920x1080x60", "1280x720x60"],
                "\(runs)")
        let times = recorded.frames.map(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "frame times do not increase")
        let span = (times.last ?? 0) - (times.first ?? 0)
        #expect(abs(span - 6) < 1, "the recording spans \(span) s of the 6 s sent")
        print(String(format: "size change: recording %@ (header %dx%d, %@), %d of %d pictures byte-identical, runs %@, spans %.2f s; snaps %@",
                     (capture.recordingPath as NSString).lastPathComponent, header.width, header.height, header.codec,
                     zip(recorded.packets, all).filter { $0 == $1 }.count, all.count,
                     runs.map { "\($0.width)x\($0.height)x\($0.count)" }.joined(separator: " "), span,
                     snaps.map { String(format: "%.2f s %dx%d", $0.time, $0.width, $0.height) }.joined(separator: ", ")))
        let report = try await f.archive.verify(repair: false)
        #expect(report.isHealthy, "\(report)")
    }

    @Test("the feed stalls for 3 s with the pipe open: no signal meanwhile, a tag taken, the signal back, every picture recorded across the gap")
    func stalledSource() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let folder = try Self.scratch(besides: f.root)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = ImportFixture.clip(try ImportFixture.truth("lumbar-capture-640x480"))
        // 120 pictures between the clip's freezes (48-86 and 249-284).
        let pictures = try JPEGFeed.pictures(from: clip, filter: "select=gte(n\\,90)", count: 120, into: folder, name: "p")
        #expect(pictures.count == 120)
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let stall = 3.0
        let feed = JPEGFeed(fifo: fifo, steps: [.pictures(Array(pictures[..<60]), rate: 30), .pause(stall),
                                                .pictures(Array(pictures[60...]), rate: 30)])
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive,
                                            session: try Self.session())
        #expect(capture.health.signal)

        // Two seconds into the stall.
        await feed.wait(upTo: 20) { $0.pauses.first.map { Date().timeIntervalSince($0.began) > 2 } ?? $0.closed }
        let during = capture.health
        #expect(capture.isRunning)
        #expect(during.signal == false, "\(during)")
        #expect(during.noSignalSeconds > 1, "\(during)")
        // The tech tags while the picture is stalled: the session takes it.
        let tag = try await capture.tag(try AnatomicSite(parsing: "L4-L5"), structure: nil, author: "sam")

        // A second after the pictures resume.
        await feed.wait(upTo: 20) { $0.written >= 90 || $0.closed }
        let after = capture.health
        #expect(after.signal && after.noSignalSeconds == 0, "\(after)")
        await capture.waitUntilEnded()
        #expect(feed.progress.failure == nil, "\(feed.progress.failure ?? "")")

        let ended = capture.session
        #expect(ended.status == .completed && ended.statusReason == nil, "\(ended.status) \(ended.statusReason ?? "")")
        #expect(capture.counters.packets == 120, "\(capture.counters)")
        let recorded = try RecordedPictures(capture.recordingPath)
        #expect(recorded.packets.count == 120 && recorded.frames.count == 120, "\(recorded.packets.count) packets, \(recorded.frames.count) frames")
        #expect(zip(recorded.packets, pictures).allSatisfy { $0 == $1 }, "the recording's packets are not the pictures sent")
        // The stall shows in the pictures' times (stamped on arrival): about 3 s between
        // two pictures, and 2 s of pictures either side.
        let gap = recorded.largestGap
        let times = recorded.frames.map(\.time)
        #expect(gap.seconds > stall - 0.5 && gap.seconds < stall + 0.8, "largest step between pictures \(gap.seconds) s")
        let span = (times.last ?? 0) - (times.first ?? 0)
        #expect(abs(span - (4 + stall)) < 1, "recording spans \(span) s")
        // The tag lands inside the gap, on the session's clock.
        #expect(tag.time > times[gap.before - 1] && tag.time < times[gap.before], "tag at \(tag.time) s, gap \(times[gap.before - 1])-\(times[gap.before]) s")
        #expect(try await f.archive.tags(ofSession: ended.id).count == 1)
        print(String(format: "stall: health during %@ %.2f s, after %@; %d of %d pictures recorded; largest gap %.3f s before picture %d (%.3f -> %.3f s); spans %.2f s; tag at %.2f s",
                     during.signal ? "signal" : "no signal", during.noSignalSeconds, after.signal ? "signal" : "no signal",
                     recorded.packets.count, pictures.count, gap.seconds, gap.before, times[gap.before - 1], times[gap.before],
                     span, tag.time))
        // The picture sent last before the stall (the 60th) is the one before the gap: the
        // recording shows it when it was on the scanner's screen, not when the feed resumed.
        #expect(gap.before == 60, "the gap comes before picture \(gap.before + 1), not after the 60th, the last sent before the stall")
        let report = try await f.archive.verify(repair: false)
        #expect(report.isHealthy, "\(report)")
    }
}
