import Foundation
import Testing

/// The daemon under systemd: sd_notify's READY, WATCHDOG and STOPPING over a real
/// datagram socket, and the shipped unit file as systemd itself checks it.
@Suite("the daemon as a systemd service", .serialized)
struct ServiceManagerTests {
    /// A datagram socket where systemd would listen: python3 prints each message it gets.
    final class NotifySocket {
        let path: String
        let process = Process()
        private let output = Pipe()
        private var received = ""

        init(path: String) throws {
            self.path = path
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.bind(sys.argv[1])
                s.settimeout(30)   # gone by itself if the test never stops it
                print("listening", flush=True)
                while True:
                    print(s.recv(4096).decode().replace("\\n", "|"), flush=True)
                """, path]
            // Nothing inherited: a child left holding the test run's output would hold up `swift test`.
            process.standardInput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardOutput = output
            try process.run()
            received = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }

        /// The messages received so far, one per datagram.
        func messages() -> [String] {
            received += String(decoding: output.fileHandleForReading.availableDataIfAny(), as: UTF8.self)
            return received.split(separator: "\n").map(String.init).filter { $0 != "listening" }
        }

        func stop() {
            // SIGKILL: children of the test process inherit its blocked SIGTERM.
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(atPath: path)
        }

        deinit { stop() }
    }

    @Test("READY once listening, a watchdog ping at half the interval, STOPPING on SIGTERM, then exit 0")
    func notifies() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let socket = try NotifySocket(path: f.root.appendingPathComponent("notify.sock").path)
        defer { socket.stop() }
        let port = Int.random(in: 20_000...40_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        daemon.arguments = ["daemon", "--archive", f.root.path, "--file", DeskFixture.sampleData.appendingPathComponent("cervical-1280x720.mp4").path,
                            "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = socket.path
        environment["WATCHDOG_USEC"] = "1000000"
        daemon.environment = environment
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await Task.sleep(for: .seconds(2.2))
        let running = socket.messages()
        #expect(running.first?.hasPrefix("READY=1|STATUS=listening on 127.0.0.1:\(port)") == true, "\(running)")
        // Every 0.5 s for 1 s of WatchdogSec: 3 or more in 2 s, allowing a slow start.
        #expect(running.filter { $0 == "WATCHDOG=1" }.count >= 3, "\(running)")

        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        try await Task.sleep(for: .milliseconds(200))
        #expect(socket.messages().contains { $0.hasPrefix("STOPPING=1") })
    }

    @Test("a notify socket that is not there changes nothing: the daemon starts and stops as usual")
    func socketMissing() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        daemon.arguments = ["daemon", "--archive", f.root.path, "--file", DeskFixture.sampleData.appendingPathComponent("cervical-1280x720.mp4").path,
                            "--port", String(Int.random(in: 20_000...40_000))]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = f.root.appendingPathComponent("nobody-listens.sock").path
        environment["WATCHDOG_USEC"] = "1000000"
        daemon.environment = environment
        let output = Pipe()
        daemon.standardOutput = output
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).contains("daemon: ready on"))
        try await Task.sleep(for: .seconds(1.2))
        #expect(daemon.isRunning)
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test("systemd-analyze finds nothing wrong with the shipped unit")
    func unitVerifies() async throws {
        let root = URL(fileURLWithPath: DaemonProcessTests.needlelog).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("tools/needlelog.service"), encoding: .utf8)
        #expect(unit.contains("Type=notify") && unit.contains("WatchdogSec=") && unit.contains("Restart=on-failure"))
        #expect(unit.contains("NoNewPrivileges=yes") && unit.contains("ProtectSystem=strict") && unit.contains("User=needlelog"))
        // The binary where this build put it, since /usr/local/bin/needlelog is not installed here.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("needlelog-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("needlelog.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/needlelog", with: DaemonProcessTests.needlelog).write(to: copy, atomically: true, encoding: .utf8)
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        verify.arguments = ["verify", copy.path]
        let output = Pipe()
        verify.standardOutput = output
        verify.standardError = output
        try verify.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        verify.waitUntilExit()
        #expect(verify.terminationStatus == 0 && text.isEmpty, "\(text)")
    }
}

extension FileHandle {
    /// What is readable now, without waiting for more.
    func availableDataIfAny() -> Data {
        var data = Data()
        var entry = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&entry, 1, 0) > 0, entry.revents & Int16(POLLIN) != 0 {
            let chunk = availableData
            if chunk.isEmpty { break }
            data += chunk
        }
        return data
    }
}
