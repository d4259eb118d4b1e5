import Archive
import Foundation
import Media
import Records
import Server
import Synchronization
import Testing
import Workflows
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Ends a child process the test started: SIGKILL, since children spawned from a test's
/// threads inherit a signal mask that blocks SIGTERM (python3 and ffmpeg never see it);
/// then waits by polling (Foundation's waitUntilExit spins a core while it waits).
func endChild(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning, Date() < deadline { usleep(10_000) }
}

/// Bytes a child process writes, collected by a thread of the test.
final class LogSink: Sendable {
    private let state = Mutex((data: Data(), closed: false))

    func withLock<Result>(_ body: (inout (data: Data, closed: Bool)) -> Result) -> Result {
        state.withLock { body(&$0) }
    }
}

/// `needlelog daemon` as a child process reading a FIFO, for the signal tests: its port,
/// its station token, its log, and how long it takes to go after SIGTERM.
final class DaemonUnderTest: @unchecked Sendable {
    let process = Process()
    let port = Int.random(in: 20_000...40_000)
    let root: URL
    let ready: String
    private let errors = LogSink()

    /// Starts it on a loopback port with `arguments` naming the source; returns once it
    /// has printed its readiness line (or ended).
    init(archive root: URL, source arguments: [String]) throws {
        self.root = root
        process.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        process.arguments = ["daemon", "--archive", root.path, "--port", String(port)] + arguments
        let output = Pipe(), errorOutput = Pipe()
        process.standardOutput = output
        process.standardError = errorOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Its log (standard error), collected as it comes until it closes.
        let handle = errorOutput.fileHandleForReading
        let errors = self.errors
        Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                errors.withLock { $0.data.append(chunk) }
            }
            errors.withLock { $0.closed = true }
        }.start()
        ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }

    /// The daemon writes dates as ISO 8601.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    var token: String { (try? String(contentsOf: root.appendingPathComponent("daemon.token"), encoding: .utf8)) ?? "" }
    /// What it has logged so far.
    var logText: String { errors.withLock { String(decoding: $0.data, as: UTF8.self) } }

    /// All it logged, once it has exited and its standard error is closed (or after a second).
    func finalLog() async -> String {
        let deadline = ContinuousClock.now + .seconds(1)
        while !errors.withLock({ $0.closed }), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return logText
    }

    func request(_ path: String, body: String? = nil, timeout: Double = 10) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/\(path)")!)
        request.timeoutInterval = timeout
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func status() async throws -> StatusResponse {
        let (code, data) = try await request("status")
        try #require(code == 200, "status answered \(code): \(String(decoding: data, as: UTF8.self))")
        return try DaemonUnderTest.decoder.decode(StatusResponse.self, from: data)
    }

    /// Sends SIGTERM; returns the seconds it took to exit, or nil if it still runs after `limit`.
    func terminate(within limit: Double) async -> Double? {
        let sent = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        return await waitForExit(since: sent, within: limit)
    }

    /// Seconds from `since` to the exit, or nil if it still runs `limit` seconds after it.
    func waitForExit(since: ContinuousClock.Instant, within limit: Double) async -> Double? {
        while process.isRunning, ContinuousClock.now - since < .seconds(limit) { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { return nil }
        let took = ContinuousClock.now - since
        return Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
    }

    deinit { endChild(process) }
}

/// ffmpeg encoding a SampleData clip in real time as MJPEG into a FIFO, as a capture card
/// pipeline would, for `seconds`.
final class MJPEGProducer: @unchecked Sendable {
    let process = Process()

    init(clip: String, fifo: String, seconds: Double) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip, "-t", String(seconds),
                             "-vf", "fps=30", "-an", "-c:v", "mjpeg", "-q:v", "4", "-f", "mjpeg", "-y", fifo]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func stop() { endChild(process) }

    deinit { stop() }
}

/// Another program holding the archive's database write-locked: python3's sqlite3 with
/// `BEGIN IMMEDIATE` open, as someone at a `sqlite3` prompt would leave it.
final class DatabaseWriteLock: @unchecked Sendable {
    let process = Process()

    init(database: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            """, database.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard said.hasPrefix("locked") else {
            endChild(process)
            throw CocoaError(.fileLocking)
        }
    }

    private let input = Pipe()

    /// Lets go: python3 reads the end of its input and exits, and the lock goes with it.
    func release() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        endChild(process)
    }

    deinit { release() }
}

// The name ends in LiveCaptureTests so tools/test runs it with the real-time suites, alone.
/// Faults at the table (issue 22) on the daemon's side: SIGTERM (systemd stopping it, a
/// shutdown) in each state it can be in. Each must exit 0 within 5 s, finish a running
/// session, and leave an archive `needlelog verify` passes.
@Suite("SIGTERM to the daemon in each state", .serialized)
struct DaemonSignalLiveCaptureTests {
    static let clip = DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path
    /// What the brief and systemd's patience allow.
    static let exitLimit = 5.0

    /// An archive with patient P-1, a folder beside it for the FIFO, and the daemon reading it.
    struct Table {
        let f: DeskFixture
        let side: URL
        let fifo: String
        let daemon: DaemonUnderTest

        init() async throws {
            f = try await DeskFixture()
            side = f.root.deletingLastPathComponent().appendingPathComponent("daemon-side-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: side, withIntermediateDirectories: true)
            fifo = side.appendingPathComponent("card.fifo").path
            guard mkfifo(fifo, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
            daemon = try DaemonUnderTest(archive: f.root, source: ["--pipe", fifo, "--format", "mjpeg"])
        }

        func remove() {
            endChild(daemon.process)
            f.remove()
            try? FileManager.default.removeItem(at: side)
        }

        /// Starts a session for P-1 (the source must be sending, or it waits for it).
        func start() async throws -> StatusResponse {
            let (code, data) = try await daemon.request("session/start", body: #"{"patient":"P-1","treatment":"1/3"}"#)
            try #require(code == 200, "start answered \(code): \(String(decoding: data, as: UTF8.self))")
            return try DaemonUnderTest.decoder.decode(StatusResponse.self, from: data)
        }

        /// `needlelog verify` on the archive: its exit status and output.
        func verify() throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
            process.arguments = ["verify", "--archive", f.root.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }

        /// Every session in the archive, as the daemon left it.
        func sessions() async throws -> [ProcedureSession] {
            try await f.archive.sessions(SessionFilter()).map(\.session)
        }

        /// Pictures in a session's recording that decode.
        func frames(of session: ProcedureSession) throws -> Int {
            let path = f.root.appendingPathComponent(try #require(session.recording).value).path
            let source = try MediaSource(.file(path))
            let decoder = try VideoDecoder(for: source)
            var frames = 0
            while let packet = try source.nextPacket() { frames += try decoder.decode(packet).count }
            return frames + (try decoder.flush().count)
        }

        /// The daemon exited 0 within the limit.
        func expectExit(_ seconds: Double?, _ state: String) {
            #expect(seconds != nil, "\(state): still running \(DaemonSignalLiveCaptureTests.exitLimit) s after SIGTERM; log:\n\(daemon.logText)")
            if seconds != nil {
                #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0,
                        "\(state): exit status \(daemon.process.terminationStatus); log:\n\(daemon.logText)")
            }
        }

        /// `needlelog verify` passes once the daemon is gone; prints the state's measure.
        func expectConsistent(_ state: String, _ measured: String) throws {
            let verified = try verify()
            #expect(verified.status == 0, "\(state): verify: \(verified.output)")
            print("daemon SIGTERM \(state): \(measured); verify exit \(verified.status)")
        }

        /// The daemon exited 0 within the limit and the archive verifies.
        func expectCleanExit(_ seconds: Double?, _ state: String) throws {
            expectExit(seconds, state)
            if seconds == nil { endChild(daemon.process) }
            try expectConsistent(state, seconds.map { String(format: "exit %d after %.2f s", daemon.process.terminationStatus, $0) } ?? "no exit within 5 s")
        }
    }

    @Test("idle, no session: exits 0 at once")
    func idle() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        #expect(try await table.daemon.status().state == .idle)
        let seconds = await table.daemon.terminate(within: Self.exitLimit)
        try table.expectCleanExit(seconds, "idle")
        #expect(try await table.sessions().isEmpty)
    }

    @Test("recording: exits 0, the session interrupted (to be continued) and its recording playable")
    func recording() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        let producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 60)
        defer { producer.stop() }
        #expect(try await table.start().state == .recording)
        try await Task.sleep(for: .seconds(2))
        let status = try await table.daemon.status()
        #expect(status.state == .recording && status.counters.packets > 20, "\(status)")
        let seconds = await table.daemon.terminate(within: Self.exitLimit)
        try table.expectCleanExit(seconds, "recording")
        let session = try #require(try await table.sessions().first)
        #expect(session.status == .interrupted && session.statusReason?.contains("daemon was stopped") == true, "\(session.status) \(session.statusReason ?? "")")
        let frames = try table.frames(of: session)
        #expect(frames >= status.counters.packets, "\(frames) pictures recorded, \(status.counters.packets) before SIGTERM")
    }

    @Test("recording with the tech page's live picture open: the picture stream ends, the daemon exits 0, the session interrupted")
    func recordingWithPreview() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        let producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 60)
        defer { producer.stop() }
        #expect(try await table.start().state == .recording)
        // The page's <img> on preview.mjpeg: a response that lasts as long as the session.
        let daemon = table.daemon
        let viewer = Task { try await daemon.request("preview.mjpeg?fps=5", timeout: 30) }
        defer { viewer.cancel() }
        try await Task.sleep(for: .seconds(2))
        let seconds = await table.daemon.terminate(within: Self.exitLimit)
        table.expectExit(seconds, "recording, live picture open")
        var measured = seconds.map { String(format: "exit %d after %.2f s", daemon.process.terminationStatus, $0) } ?? "no exit within 5 s"
        if seconds == nil {
            // (Measured before the fix: the capture was told to stop only after the server's graceful
            // shutdown, which waited for this stream.) The tech closes the page: how long then?
            let closed = ContinuousClock.now
            viewer.cancel()
            let after = await daemon.waitForExit(since: closed, within: 10)
            measured += after.map { String(format: "; exit %d %.2f s after the viewer left", daemon.process.terminationStatus, $0) } ?? "; still running 10 s after the viewer left"
            endChild(daemon.process)
        }
        let session = try #require(try await table.sessions().first)
        measured += "; session \(session.status.rawValue)"
        try table.expectConsistent("recording, live picture open", measured)
        #expect(session.status == .interrupted && session.statusReason?.contains("daemon was stopped") == true, "\(session.status) \(session.statusReason ?? "")")
        if seconds != nil {
            // The viewer had pictures, and its stream ended with the session.
            let shown = try await viewer.value
            #expect(shown.status == 200)
            let parts = String(decoding: shown.body, as: UTF8.self).components(separatedBy: "--needlelog-frame").count - 1
            #expect(parts >= 2, "the viewer got \(parts) pictures")
        }
    }

    @Test("the source lost (the FIFO's writer gone, the daemon waiting for the next): exits 0, the session interrupted")
    func sourceLost() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        let producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 2)
        defer { producer.stop() }
        #expect(try await table.start().state == .recording)
        let sent = ContinuousClock.now + .seconds(15)
        while producer.process.isRunning, ContinuousClock.now < sent { try await Task.sleep(for: .milliseconds(20)) }
        // No signal: the daemon opens the FIFO again and waits for a writer.
        var status = try await table.daemon.status()
        let deadline = ContinuousClock.now + .seconds(10)
        while (status.source?.signal ?? true) || (status.source?.noSignalSeconds ?? 0) < 1.5, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = try await table.daemon.status()
        }
        #expect(status.state == .recording && status.source?.signal == false, "\(status)")
        let seconds = await table.daemon.terminate(within: Self.exitLimit)
        try table.expectCleanExit(seconds, String(format: "source lost %.1f s", status.source?.noSignalSeconds ?? 0))
        let session = try #require(try await table.sessions().first)
        #expect(session.status == .interrupted && session.statusReason?.contains("daemon was stopped") == true, "\(session.status) \(session.statusReason ?? "")")
        #expect(try table.frames(of: session) >= 40)
    }

    @Test("a start waiting for a FIFO writer that never comes: exits 0, nothing recorded, the start answered")
    func waitingForWriter() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        // The start waits in the open of the FIFO: nobody writes.
        let daemon = table.daemon
        let start = Task { try await daemon.request("session/start", body: #"{"patient":"P-1"}"#, timeout: 30) }
        defer { start.cancel() }
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await table.daemon.status().state == .idle)
        let seconds = await table.daemon.terminate(within: Self.exitLimit)
        table.expectExit(seconds, "waiting for a FIFO writer")
        var measured = seconds.map { String(format: "exit %d after %.2f s", daemon.process.terminationStatus, $0) } ?? "no exit within 5 s"
        var producer: MJPEGProducer?
        defer { producer?.stop() }
        if seconds == nil {
            // (Measured before the fix: a stop could not end the wait in LiveCapture.init; the server's
            // shutdown waited for the start.) What ends it: a writer coming at last.
            let came = ContinuousClock.now
            producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 10)
            let after = await daemon.waitForExit(since: came, within: 10)
            measured += after.map { String(format: "; exit %d %.2f s after a writer came", daemon.process.terminationStatus, $0) } ?? "; still running 10 s after a writer came"
            endChild(daemon.process)
        }
        switch await start.result {
        case .success(let answer): measured += "; the start answered \(answer.status)"
        case .failure(let error): measured += "; the start got no answer (\(error))"
        }
        let sessions = try await table.sessions()
        measured += "; sessions in the archive: \(sessions.map(\.status.rawValue))"
        try table.expectConsistent("waiting for a FIFO writer", measured)
        if seconds != nil {
            // Nothing was opened, so nothing was written; the start did not succeed.
            #expect(sessions.isEmpty)
            if case .success(let answer) = await start.result { #expect(answer.status != 200, "the start answered \(answer.status) during shutdown") }
        }
    }

    @Test("restarted during a session: the status offers it, one start continues it as part 2, the parts in order, each playable")
    func restartThenContinue() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        var producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 60)
        defer { producer.stop() }
        let first = try #require(try await table.start().session)
        try await Task.sleep(for: .seconds(2))
        _ = try await table.daemon.request("snap", body: "{}")
        try await Task.sleep(for: .seconds(1))
        table.expectExit(await table.daemon.terminate(within: Self.exitLimit), "recording, before the restart")
        producer.stop()

        // The daemon back (systemd's restart), on the same archive and card.
        let again = try DaemonUnderTest(archive: table.f.root, source: ["--pipe", table.fifo, "--format", "mjpeg"])
        defer { endChild(again.process) }
        try #require(again.ready.contains("daemon: ready on"), "\(again.ready) \(again.logText)")
        let offered = try #require(try await again.status().continuable, "the restarted daemon offers nothing to continue")
        #expect(offered.session == first && offered.part == 1 && offered.status == .interrupted && offered.patient == "P-1", "\(offered)")
        #expect(offered.stills == 1, "\(offered.stills) stills kept in part 1")

        producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 60)
        let (code, data) = try await again.request("session/start", body: #"{"continues":"\#(first)"}"#)
        try #require(code == 200, "continue answered \(code): \(String(decoding: data, as: UTF8.self))")
        let started = try DaemonUnderTest.decoder.decode(StatusResponse.self, from: data)
        #expect(started.state == .recording && started.patient == "P-1" && started.continuable == nil, "\(started)")
        // The same part cannot be continued twice.
        let twice = try await again.request("session/start", body: #"{"continues":"\#(first)"}"#)
        #expect(twice.status == 409, "a second continue answered \(twice.status)")
        try await Task.sleep(for: .seconds(2))
        let stopped = try await again.request("session/stop", body: "{}")
        #expect(stopped.status == 200)

        let second = try #require(started.session.flatMap { UUID(uuidString: $0) })
        let parts = try await table.f.archive.procedureParts(of: second).map(\.session)
        #expect(parts.map(\.part) == [1, 2] && parts.map { $0.id.uuidString.lowercased() } == [first, second.uuidString.lowercased()],
                "\(parts.map { ($0.part, $0.id) })")
        #expect(parts.map(\.status) == [.interrupted, .completed])
        #expect(try await table.f.archive.procedureParts(of: parts[0].id).map(\.session.id) == parts.map(\.id))
        let part2 = try #require(parts.last)
        #expect(part2.patientID.value == "P-1" && part2.treatment.description == parts[0].treatment.description
                && part2.continuation?.previous == parts[0].id)
        #expect(part2.startedAt > (parts[0].endedAt ?? .distantFuture), "part 2 starts after part 1 ends")
        // Each part its own recording, both playable.
        let frames = try parts.map { try table.frames(of: $0) }
        #expect(frames.allSatisfy { $0 >= 30 } && parts[0].recording != part2.recording, "pictures per part: \(frames)")
        let verified = try table.verify()
        #expect(verified.status == 0, "\(verified.output)")
        print(String(format: "restart then continue: part 1 %d pictures, %.1f s; part 2 %d pictures", frames[0], parts[0].duration ?? -1, frames[1]))
    }

    @Test("recording while another program holds the database write-locked: what SIGTERM does")
    func databaseLocked() async throws {
        let table = try await Table()
        defer { table.remove() }
        try #require(table.daemon.ready.contains("daemon: ready on"), "\(table.daemon.ready) \(table.daemon.logText)")
        let producer = try MJPEGProducer(clip: Self.clip, fifo: table.fifo, seconds: 60)
        defer { producer.stop() }
        #expect(try await table.start().state == .recording)
        try await Task.sleep(for: .seconds(1.5))
        let lock = try DatabaseWriteLock(database: table.f.archive.location.database)
        defer { lock.release() }
        try await Task.sleep(for: .seconds(0.5))
        // The tech tags meanwhile: the daemon must answer, though it cannot write the tag yet.
        let tagged = try await table.daemon.request("tag", body: #"{"site":"L4-L5"}"#, timeout: 15)
        let sent = ContinuousClock.now
        kill(table.daemon.process.processIdentifier, SIGTERM)
        // Held past the limit: does the daemon go within 5 s, the lock still held?
        let whileLocked = await table.daemon.waitForExit(since: sent, within: Self.exitLimit)
        var released: ContinuousClock.Instant?
        var afterRelease: Double?
        if whileLocked == nil {
            // Still waiting for the database: hold it 8 s in all, then let go and time the exit.
            try await Task.sleep(until: sent + .seconds(8), clock: .continuous)
            lock.release()
            released = .now
            afterRelease = await table.daemon.waitForExit(since: released!, within: 15)
        }
        lock.release()
        let total = whileLocked ?? afterRelease.map { 8 + $0 }
        let log = await table.daemon.finalLog()
        #expect(whileLocked != nil, "still running \(Self.exitLimit) s after SIGTERM with the database locked; exited \(afterRelease.map { String(format: "%.2f s", $0) } ?? "not at all") after the lock was let go at 8 s; log:\n\(log)")
        if total == nil { endChild(table.daemon.process) }
        #expect(total == nil || table.daemon.process.terminationStatus == 0, "exit status \(table.daemon.process.terminationStatus)")
        let session = try #require(try await table.sessions().first)
        let tags = try await table.f.archive.tags(ofSession: session.id).count
        var measured = String(format: "tag answered %d; exit %d after %@ with the lock held%@; session %@%@; %d tags stored",
                              tagged.status, table.daemon.process.terminationStatus,
                              whileLocked.map { String(format: "%.2f s", $0) } ?? "no exit within 5 s",
                              afterRelease.map { String(format: ", %.2f s after it was let go at 8 s", $0) } ?? "",
                              session.status.rawValue, session.statusReason.map { " (\($0))" } ?? "", tags)
        if session.status == .recording {
            // Left recording: the next start marks it interrupted, as after a crash.
            let marked = try await table.f.archive.markInterruptedSessions()
            #expect(marked.map(\.id) == [session.id])
            measured += "; marked \(try await table.f.archive.session(session.id)?.status.rawValue ?? "?") as the next start would"
        }
        try table.expectConsistent("database write-locked", measured)
        print("daemon log (database locked):\n\(log)")
    }
}
