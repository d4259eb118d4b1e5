import Anatomy
import Archive
import Foundation
import Media
import Records
import Testing
@testable import Capture

/// A full disk at the table, for real: the archive on a 48 MB tmpfs, a live MJPEG feed
/// that fills it in seconds. The recording must stop at the reserve with a warning first,
/// and the archive must say what happened, keeping the session's stills and tags.
@Suite("a full disk during a recording", .serialized)
struct DiskFullLiveCaptureTests {
    @Test("the recording stops at the reserve, warned first; the session says disk full and keeps its tags and stills",
          .enabled(if: getuid() == 0, "mounting a small tmpfs needs root (CI runs as root)"))
    func diskFull() async throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-disk-" + UUID().uuidString)
        let volume = base.appendingPathComponent("volume")
        try FileManager.default.createDirectory(at: volume, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", volume.path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "could not mount a 48 MB tmpfs at \(volume.path): this test needs root and tmpfs")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [volume.path]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        let root = volume.appendingPathComponent("archive")
        let archive = try SQLiteArchive(location: ArchiveLocation(root: root))
        try await archive.add(try Patient(id: PatientID("P-1"), familyName: "Doe", givenName: "Jane",
                                          birthDate: CalendarDate(year: 1971, month: 3, day: 2), sex: .female))
        let fifo = base.appendingPathComponent("card.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Large MJPEG frames at 60 fps: about 10 MB a second.
        let format = LiveProducer.Format(demuxer: "mjpeg", output: ["-s", "1920x1080", "-c:v", "mjpeg", "-q:v", "2", "-f", "mjpeg"], rate: 60)
        let producer = try LiveProducer(clip: SessionClockTests.clip, fifo: fifo, format: format, seconds: 30)
        defer { producer.stop() }
        let reserve: Int64 = 16 << 20
        let session = try SessionClockTests.session()
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "mjpeg"), diskReserve: reserve),
                                            archive: archive, session: session)
        try await Task.sleep(for: .seconds(1.5))
        _ = try await capture.tag(try AnatomicSite(parsing: "L4-L5"), structure: nil, author: "sam")
        capture.snap()
        var warned: DiskSpace?
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(25)
        while capture.isRunning, clock.now < deadline {
            if let disk = capture.disk, disk.level != .ok, warned == nil { warned = disk }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!capture.isRunning, "the recording did not stop before the disk filled")
        // A warning was shown before the stop, with the time left at the recording's rate.
        let warning = try #require(warned, "no warning before the disk filled")
        #expect(warning.warning?.contains("minutes of recording left") == true)
        let stored = try #require(try await archive.session(session.id))
        #expect(stored.status == .failed)
        #expect(stored.statusReason?.contains("disk full") == true, "\(stored.statusReason ?? "no reason")")
        #expect(try await archive.tags(ofSession: session.id).count == 1)
        #expect(try await archive.stills(ofSession: session.id).contains { $0.reason == .snap })
        // The reserve was kept, and the recording plays up to where it stopped.
        #expect((DiskSpace.free(at: root.path) ?? 0) > reserve / 2)
        #expect(decodableFrames(capture.recordingPath) > 30)
        #expect(try await archive.verify(repair: false).isHealthy)
        // Stopping now answers at once with what happened.
        let started = clock.now
        let ended = try await capture.stop()
        #expect(clock.now - started < .seconds(2))
        #expect(ended.status == .failed)
    }
}
