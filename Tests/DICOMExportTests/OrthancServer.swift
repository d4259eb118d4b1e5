import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A real Orthanc (Debian's `orthanc`) for one test: its own temporary storage, HTTP
/// and DICOM ports picked free on loopback, no remote access, no authentication.
/// Started as a child process, ready when `GET /system` answers, killed by `stop()`.
/// With `dicomWeb`, Debian's DICOMweb plugin (`orthanc-dicomweb`) serves STOW-RS and
/// QIDO-RS under ``dicomWebURL``.
final class OrthancServer: @unchecked Sendable {
    let folder: URL
    let url: URL
    /// Its DICOM port (C-STORE, storage commitment; the worklist with `worklists`), AE title ORTHANC.
    let dicomPort: Int
    private let process: Process
    /// Its own connections: the test binary's other suites hold long requests to loopback
    /// servers (live pictures, daemons) through the shared session, and a request queued
    /// behind them for a free connection would look like an Orthanc that does not answer.
    private let http = URLSession(configuration: .ephemeral)
    /// For the readiness probe: a short limit per try, so one request that hangs (a
    /// connection made before Orthanc listened) does not use up the whole wait.
    private let probe: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 2
        return URLSession(configuration: configuration)
    }()

    /// The DICOMweb root, when the plugin is loaded.
    var dicomWebURL: URL { url.appendingPathComponent("dicom-web") }

    /// - Parameters:
    ///   - modalities: the DICOM peers Orthanc knows (`DicomModalities`: name to
    ///     `[AE, host, port]`); a storage commitment report goes to the one whose AE asked.
    ///   - worklists: a folder of `.wl` files its ModalityWorklists plugin serves.
    init(dicomWeb: Bool = false, modalities: [String: [Any]] = [:], worklists: URL? = nil) async throws {
        let orthanc = try ExternalTool("Orthanc", package: "orthanc")
        let plugin = dicomWeb ? try Self.dicomWebPlugin() : nil
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-orthanc-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let httpPort = try Self.freePort()
        dicomPort = try Self.freePort()
        var configuration: [String: Any] = [
            "Name": "needlelog-test",
            "StorageDirectory": folder.appendingPathComponent("storage").path,
            "IndexDirectory": folder.appendingPathComponent("index").path,
            "HttpPort": httpPort, "DicomPort": dicomPort, "DicomAet": "ORTHANC",
            "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
            // Any AE may store, echo and ask the worklist; answers in UTF-8 (ISO_IR 192).
            "DicomCheckCalledAet": false, "DicomAlwaysAllowStore": true, "DicomAlwaysAllowEcho": true,
            "DicomAlwaysAllowFindWorklist": true, "DefaultEncoding": "Utf8",
            "DicomModalities": modalities,
        ]
        var plugins: [String] = []
        if let plugin {
            plugins.append(plugin)
            configuration["DicomWeb"] = ["Enable": true, "Root": "/dicom-web/"]
        }
        if let worklists {
            plugins.append("/usr/share/orthanc/plugins/libModalityWorklists.so")
            configuration["Worklists"] = ["Enable": true, "Database": worklists.path, "FilterIssuerAet": false]
        }
        if !plugins.isEmpty { configuration["Plugins"] = plugins }
        let configFile = folder.appendingPathComponent("orthanc.json")
        try JSONSerialization.data(withJSONObject: configuration).write(to: configFile)
        url = URL(string: "http://127.0.0.1:\(httpPort)")!
        process = Process()
        process.executableURL = URL(fileURLWithPath: orthanc.path)
        process.arguments = [configFile.path]
        let log = folder.appendingPathComponent("orthanc.log")
        // Failing here shows up in the next line, which throws with the reason.
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try await waitUntilReady(log: log)
        if dicomWeb {
            let plugins = try await get("plugins") as? [String] ?? []
            guard plugins.contains("dicom-web") else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw Failure(description: "Orthanc did not load the DICOMweb plugin \(plugin ?? ""); its log:\n\(text.suffix(2000))")
            }
        }
    }

    /// The DICOMweb plugin's shared library, as `dpkg -L orthanc-dicomweb` lists it.
    static func dicomWebPlugin() throws -> String {
        let dpkg = try ExternalTool("dpkg", package: "dpkg")
        let listing = try dpkg.run(["-L", "orthanc-dicomweb"])
        let libraries = listing.stdout.split(separator: "\n").map(String.init).filter { $0.contains(".so") }
        guard listing.status == 0, let library = libraries.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ExternalTool.ToolMissing(description: "Orthanc's DICOMweb plugin is not installed (Debian package orthanc-dicomweb): run tools/setup")
        }
        return library
    }

    /// SIGKILL, not SIGTERM: the child inherits the test runner's signal mask, which
    /// blocks SIGTERM, so Orthanc would never see it. Its storage is thrown away anyway.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    private func waitUntilReady(log: URL) async throws {
        // Generous: beside forty suites on two cores, Orthanc may take a while to answer.
        let deadline = Date().addingTimeInterval(60)
        var last = "no try"
        while Date() < deadline {
            guard process.isRunning else { break }
            do {
                let (_, response) = try await probe.data(from: url.appendingPathComponent("system"))
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status == 200 { return }
                last = "HTTP \(status)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let state = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first ?? "gone"
        let what = process.isRunning ? "did not answer GET /system within 60 s (last: \(last); process state \(state))" : "exited (status \(process.terminationStatus)) before it answered"
        stop()
        throw Failure(description: "Orthanc \(what); its log:\n\(text.suffix(2000))")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func get(_ path: String) async throws -> Any {
        let (data, response) = try await http.data(from: url.appendingPathComponent(path))
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw Failure(description: "GET /\(path) failed") }
        return try JSONSerialization.jsonObject(with: data)
    }

    /// `POST /tools/find` at instance level; returns the instance ids.
    func findInstances(_ query: [String: String]) async throws -> [String] {
        var request = URLRequest(url: url.appendingPathComponent("tools/find"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["Level": "Instance", "Query": query])
        let (data, _) = try await http.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String], "\(String(decoding: data, as: UTF8.self))")
    }

    func instanceCount() async throws -> Int {
        try #require(try await get("instances") as? [String]).count
    }

    /// A loopback port nobody listens on now: bind to port 0, read what the kernel chose, close.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
