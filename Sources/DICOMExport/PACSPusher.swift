import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends Part 10 files to a PACS: Orthanc's REST API (`POST /instances`, one file per
/// request) or DICOMweb STOW-RS (`POST {root}/studies`, several files per request; see
/// `PACSPusher+STOW.swift`).
///
/// Transient failures (no connection, timeouts, HTTP 5xx and 429) are retried with
/// doubling delays; a refusal (other 4xx) is not, since sending the same bytes again
/// cannot help. Pushing twice creates no duplicates: the UIDs are stable, so the server
/// keeps one copy and the report says "already there".
public struct PACSPusher: Sendable {
    /// How the files travel.
    public enum API: String, Sendable {
        /// Orthanc's REST API: `POST {base}/instances`, one file per request.
        case orthancREST
        /// DICOMweb STOW-RS (PS3.18 10.5): `POST {root}/studies`, multipart/related.
        case stowRS
    }

    /// What the server said about one file.
    public enum Outcome: String, Sendable {
        case stored, alreadyStored
    }

    public struct Report: Sendable {
        public var outcomes: [(file: URL, outcome: Outcome)] = []
        /// Files the server refused, with its reason.
        public var refused: [(file: URL, reason: String)] = []
        /// Files stored with a STOW-RS Warning Reason (0008,1196), such as elements discarded.
        public var warnings: [(file: URL, reason: String)] = []

        public var stored: Int { outcomes.filter { $0.outcome == .stored }.count }
        public var alreadyStored: Int { outcomes.filter { $0.outcome == .alreadyStored }.count }
    }

    /// Orthanc's base URL, such as `http://localhost:8042`, or a DICOMweb root such as
    /// `http://localhost:8042/dicom-web`.
    public let server: URL
    public let api: API
    /// Tries per request, the first included.
    public var attempts: Int
    /// The wait before the second try; doubled before each later one.
    public var firstDelay: Duration
    /// Seconds to wait for an answer to one request.
    public var timeout: TimeInterval
    /// STOW-RS: at most this many files in one request.
    public var batchFiles = 50
    /// STOW-RS: at most this many bytes of files in one request (a larger file goes alone).
    public var batchBytes = 64 << 20

    /// - Throws: ``DICOMExportError`` `.invalid` for a URL that is not http(s) with a host.
    public init(server: URL, api: API = .orthancREST, attempts: Int = 4, firstDelay: Duration = .milliseconds(500),
                timeout: TimeInterval = 30) throws(DICOMExportError) {
        guard let scheme = server.scheme?.lowercased(), ["http", "https"].contains(scheme), server.host != nil else {
            throw DICOMExportError(.invalid, "\(server.absoluteString) is not a server address: write Orthanc's base URL, such as http://localhost:8042, or a DICOMweb root, such as http://localhost:8042/dicom-web")
        }
        guard attempts >= 1 else { throw DICOMExportError(.invalid, "a push is tried at least once: retries are 0 or more") }
        self.server = server
        self.api = api
        self.attempts = attempts
        self.firstDelay = firstDelay
        self.timeout = timeout
    }

    /// Whether `url` names a DICOMweb root by its usual name: a path ending in
    /// `/dicom-web` or `/dicomweb` (a trailing slash allowed).
    public static func isDICOMwebRoot(_ url: URL) -> Bool {
        let last = url.path.split(separator: "/").last?.lowercased()
        return last == "dicom-web" || last == "dicomweb"
    }

    /// Pushes every file in order, calling `progress` after each (with STOW-RS, after
    /// each batch for every file in it).
    /// - Throws: ``DICOMExportError`` `.server` when the server cannot be reached after
    ///   every try (the push stops there: the next file would fail the same way), or
    ///   `.notFound` for a file that cannot be read.
    public func push(_ files: [URL], progress: (URL, Outcome?) -> Void = { _, _ in }) async throws -> Report {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        switch api {
        case .orthancREST: return try await pushREST(files, session: session, progress: progress)
        case .stowRS: return try await pushSTOW(files, session: session, progress: progress)
        }
    }

    private func pushREST(_ files: [URL], session: URLSession, progress: (URL, Outcome?) -> Void) async throws -> Report {
        var report = Report()
        for file in files {
            let body = try Self.read(file)
            var request = URLRequest(url: server.appendingPathComponent("instances"))
            request.httpMethod = "POST"
            request.setValue("application/dicom", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
            let (status, data) = try await exchange(request, session: session)
            if (200..<300).contains(status) {
                let outcome = Self.outcome(of: data)
                report.outcomes.append((file, outcome))
                progress(file, outcome)
            } else {
                let text = String(decoding: data, as: UTF8.self)
                report.refused.append((file, "HTTP \(status): \(Self.reason(in: data) ?? String(text.prefix(300)))"))
                progress(file, nil)
            }
        }
        return report
    }

    static func read(_ file: URL) throws -> Data {
        do { return try Data(contentsOf: file) } catch {
            throw DICOMExportError(.notFound, "cannot read \(file.path): \(error.localizedDescription)")
        }
    }

    /// Sends `request` until the server answers with something other than 5xx or 429,
    /// and returns that answer's status and body.
    /// - Throws: ``DICOMExportError`` `.server` naming ``server`` after the last try.
    func exchange(_ request: URLRequest, session: URLSession) async throws -> (status: Int, body: Data) {
        var delay = firstDelay
        var lastProblem = ""
        for attempt in 1...attempts {
            if attempt > 1 {
                try await Task.sleep(for: delay)
                delay *= 2
            }
            let data: Data, response: URLResponse
            do {
                (data, response) = try await session.data(for: request)
            } catch {
                lastProblem = error.localizedDescription
                continue
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            switch status {
            case 429, 500..<600:
                lastProblem = "HTTP \(status) \(String(decoding: data, as: UTF8.self).prefix(200))"
            default:
                return (status, data)
            }
        }
        throw DICOMExportError(.server, "cannot push to \(server.absoluteString) after \(attempts) tries: \(lastProblem); check the PACS's address and that it is running",
                               remedy: .checkServer)
    }

    private static func outcome(of data: Data) -> Outcome {
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["Status"] as? String) == "AlreadyStored" ? .alreadyStored : .stored
    }

    /// Orthanc's error body carries `Message` and `Details`.
    private static func reason(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return [object["Message"] as? String, object["Details"] as? String].compactMap(\.self).joined(separator: ": ")
    }

    /// The Part 10 files among `paths`: files given directly, and every file under a
    /// folder that starts like one (128 bytes, then `DICM`), sorted by path.
    /// - Throws: ``DICOMExportError`` `.notFound` for a path that does not exist or a folder without DICOM files.
    public static func files(in paths: [String]) throws(DICOMExportError) -> [URL] {
        var found: [URL] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw DICOMExportError(.notFound, "\(path) does not exist: give the folder a DICOM export wrote, or .dcm files", remedy: .exportFirst)
            }
            guard isFolder.boolValue else {
                guard isPartTen(path) else {
                    throw DICOMExportError(.invalid, "\(path) is not a DICOM Part 10 file (no DICM marker at byte 128)")
                }
                found.append(URL(fileURLWithPath: path))
                continue
            }
            var inFolder: [URL] = []
            let enumerator = manager.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(relative)
                let name = (relative as NSString).lastPathComponent
                if !name.hasPrefix("."), isPartTen(full) { inFolder.append(URL(fileURLWithPath: full)) }
            }
            guard !inFolder.isEmpty else {
                throw DICOMExportError(.notFound, "no DICOM files in \(path): export some into it first", remedy: .exportFirst)
            }
            found += inFolder.sorted { $0.path < $1.path }
        }
        return found
    }

    private static func isPartTen(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 132), head.count == 132 else { return false }
        return head.suffix(4) == Data("DICM".utf8)
    }
}
