import Anatomy
import Archive
import Foundation
import Records
import Testing
@testable import Capture

/// Another program holds the archive's database locked while a session records (a
/// backup, `sqlite3` with a transaction open): the capture and the tech's buttons do not
/// wait for it; the writes queue and land when it lets go.
/// (The name ends in LiveCaptureTests: tools/test runs it alone, in real time.)
@Suite("the archive's database held locked during a live session", .serialized)
struct ArchiveBusyLiveCaptureTests {
    /// python3's sqlite3 takes the database's write lock (BEGIN IMMEDIATE) and holds it.
    final class LockHolder {
        let process = Process()
        private let input = Pipe()
        private let output = Pipe()

        /// Returns once the lock is held; it is held until `release()` (or `seconds`, at most).
        init(database: URL, seconds: Double) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", """
                import sqlite3, sys, select
                db = sqlite3.connect(sys.argv[1], isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                print("locked", flush=True)
                select.select([sys.stdin], [], [], float(sys.argv[2]))
                db.execute("COMMIT")
                """, database.path, String(seconds)]
            process.standardInput = input
            process.standardOutput = output
            // Not the test run's: a child holding its output open would hold up `swift test`.
            process.standardError = FileHandle.nullDevice
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("locked") else { throw CocoaError(.fileLocking) }
        }

        func release() {
            try? input.fileHandleForWriting.write(contentsOf: Data("go\n".utf8))
            process.waitUntilExit()
        }

        // SIGKILL: children of the test process inherit its blocked SIGTERM.
        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    static func session() throws -> ProcedureSession {
        try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                             treatment: try TreatmentNumber(1, of: 4))
    }

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try await body()
        return (result, SessionClock.seconds(.now - start))
    }

    @Test("locked mid-session for 4 s: tags answer at once, stills and tags wait in the queue and land after; the recording loses nothing")
    func lockedMidSession() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let producer = try LiveProducer(clip: SessionClockTests.clip, fifo: fifo, format: .mjpeg(30), seconds: 7)
        defer { producer.stop() }
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive, session: try Self.session())
        try await Task.sleep(for: .seconds(1))

        let lock = try LockHolder(database: f.archive.location.database, seconds: 20)
        let (_, tagSeconds) = try await Self.timed { try await capture.tag(try AnatomicSite(parsing: "L4-L5"), structure: nil, author: "sam") }
        #expect(tagSeconds < 0.5, "a tag took \(tagSeconds) s with the database locked")
        // A picture after the tag's time, so the still carries it.
        try await Task.sleep(for: .seconds(0.3))
        capture.snap()
        try await Task.sleep(for: .seconds(1.5))
        let (_, secondTag) = try await Self.timed { try await capture.tag(try AnatomicSite(parsing: "L5-S1 left"), structure: nil, author: "sam") }
        #expect(secondTag < 0.5)
        let waiting = capture.archiveBacklog
        #expect(waiting.writes >= 3, "backlog while locked: \(waiting)")
        #expect(waiting.oldestSeconds > 1, "backlog while locked: \(waiting)")
        #expect(capture.health.signal, "the source kept delivering while the database was locked")
        #expect(try await f.archive.tags(ofSession: capture.session.id).isEmpty)
        try await Task.sleep(for: .seconds(2.5))
        lock.release()

        producer.waitUntilDone()
        await capture.waitUntilEnded()
        #expect(capture.session.status == .completed, "\(capture.session.statusReason ?? "")")
        #expect(capture.archiveBacklog.writes == 0)
        let tags = try await f.archive.tags(ofSession: capture.session.id)
        #expect(tags.map(\.tag.site.description) == ["L4-L5", "L5-S1 left"].map { try! AnatomicSite(parsing: $0).description })
        let stills = try await f.archive.stills(ofSession: capture.session.id)
        #expect(stills.contains { $0.reason == .snap && $0.tag?.site.description == (try? AnatomicSite(parsing: "L4-L5"))?.description })
        #expect(try await f.archive.session(capture.session.id)?.status == .completed)
        // Every packet the producer sent is in the recording: 7 s at 30 fps.
        let (_, _, frames) = try SessionClockTests.span(capture.recordingPath)
        #expect(abs(frames - 210) <= 6, "\(frames) frames recorded of 210")
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("locked at the start and at the stop: the start does not wait for it, the stop ends within seconds and its record lands later")
    func lockedAtStartAndStop() async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let producer = try LiveProducer(clip: SessionClockTests.clip, fifo: fifo, format: .mjpeg(30), seconds: 30)
        defer { producer.stop() }
        let first = try LockHolder(database: f.archive.location.database, seconds: 20)
        let (capture, startSeconds) = try await Self.timed {
            try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg")), archive: f.archive, session: try Self.session())
        }
        #expect(startSeconds < 3, "the start took \(startSeconds) s with the database locked")
        #expect(try await f.archive.session(capture.session.id) == nil, "the session's row waits for the lock")
        try await Task.sleep(for: .seconds(1))
        first.release()
        try await Task.sleep(for: .seconds(1))
        #expect(try await f.archive.session(capture.session.id)?.status == .recording)

        let second = try LockHolder(database: f.archive.location.database, seconds: 20)
        let (ended, stopSeconds) = try await Self.timed { try await capture.stop() }
        #expect(stopSeconds < 4.5, "the stop took \(stopSeconds) s with the database locked")
        #expect(ended.status == .completed)
        #expect(capture.counters.packetsRecorded > 30)
        #expect(try await f.archive.session(capture.session.id)?.status == .recording, "the end waits for the lock")
        second.release()
        // The queue goes on after the stop: the end lands once the lock is gone.
        var status: ProcedureSession.Status?
        for _ in 0..<100 {
            status = try await f.archive.session(capture.session.id)?.status
            if status == .completed { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status == .completed)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }
}
