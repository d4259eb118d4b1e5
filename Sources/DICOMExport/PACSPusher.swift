import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends Part 10 files to Orthanc's REST API (`POST /instances`, one file per request).
///
/// Transient failures (no connection, timeouts, HTTP 5xx and 429) are retried with
/// doubling delays; a refusal (other 4xx) is not, since sending the same bytes again
/// cannot help. Pushing twice creates no duplicates: the UIDs are stable, so Orthanc
/// answers `AlreadyStored` for what it has.
public struct PACSPusher: Sendable {
    /// What the server said about one file.
    public enum Outcome: String, Sendable {
        case stored, alreadyStored
    }

    public struct Report: Sendable {
        public var outcomes: [(file: URL, outcome: Outcome)] = []
        /// Files the server refused, with its reason.
        public var refused: [(file: URL, reason: String)] = []

        public var stored: Int { outcomes.filter { $0.outcome == .stored }.count }
        public var alreadyStored: Int { outcomes.filter { $0.outcome == .alreadyStored }.count }
    }

    /// Orthanc's base URL, such as `http://localhost:8042`.
    public let server: URL
    /// Tries per file, the first included.
    public var attempts: Int
    /// The wait before the second try; doubled before each later one.
    public var firstDelay: Duration
    /// Seconds to wait for an answer to one request.
    public var timeout: TimeInterval

    /// - Throws: ``DICOMExportError`` `.invalid` for a URL that is not http(s) with a host.
    public init(server: URL, attempts: Int = 4, firstDelay: Duration = .milliseconds(500),
                timeout: TimeInterval = 30) throws(DICOMExportError) {
        guard let scheme = server.scheme?.lowercased(), ["http", "https"].contains(scheme), server.host != nil else {
            throw DICOMExportError(.invalid, "\(server.absoluteString) is not a server address: write Orthanc's base URL, such as http://localhost:8042")
        }
        guard attempts >= 1 else { throw DICOMExportError(.invalid, "--retries must be 0 or more") }
        self.server = server
        self.attempts = attempts
        self.firstDelay = firstDelay
        self.timeout = timeout
    }

    /// Pushes every file in order, calling `progress` after each.
    /// - Throws: ``DICOMExportError`` `.server` when the server cannot be reached after
    ///   every try (the push stops there: the next file would fail the same way), or
    ///   `.notFound` for a file that cannot be read.
    public func push(_ files: [URL], progress: (URL, Outcome?) -> Void = { _, _ in }) async throws -> Report {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var report = Report()
        for file in files {
            let body: Data
            do { body = try Data(contentsOf: file) } catch {
                throw DICOMExportError(.notFound, "cannot read \(file.path): \(error.localizedDescription)")
            }
            switch try await send(body, session: session) {
            case .success(let outcome):
                report.outcomes.append((file, outcome))
                progress(file, outcome)
            case .failure(let refusal):
                report.refused.append((file, refusal.description))
                progress(file, nil)
            }
        }
        return report
    }

    /// A file the server answered with a client error.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    private func send(_ body: Data, session: URLSession) async throws -> Result<Outcome, Refusal> {
        var request = URLRequest(url: server.appendingPathComponent("instances"))
        request.httpMethod = "POST"
        request.setValue("application/dicom", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
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
            let text = String(decoding: data, as: UTF8.self)
            switch status {
            case 200..<300:
                return .success(Self.outcome(of: data))
            case 429, 500..<600:
                lastProblem = "HTTP \(status) \(text.prefix(200))"
            default:
                return .failure(Refusal(description: "HTTP \(status): \(Self.reason(in: data) ?? String(text.prefix(300)))"))
            }
        }
        throw DICOMExportError(.server, "cannot push to \(server.absoluteString) after \(attempts) tries: \(lastProblem); check --to and that the PACS is running")
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
                throw DICOMExportError(.notFound, "\(path) does not exist: give the folder `needlelog export dicom --out` wrote, or .dcm files")
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
                throw DICOMExportError(.notFound, "no DICOM files in \(path): export some first with `needlelog export dicom --out \(path)`")
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
