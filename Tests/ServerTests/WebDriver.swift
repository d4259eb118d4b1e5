import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small W3C WebDriver client for Debian's chromium-driver: enough to drive the
/// tech's page in headless Chromium as a person would (type, click, press keys).
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let driver: Process
    private let port: Int
    private(set) var session = ""

    /// Starts chromedriver on `port` and opens a headless Chromium session.
    init(port: Int) async throws {
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        self.port = port
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                _ = try await call("GET", "/status")
                lastError = nil
                break
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        if let lastError { throw lastError }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["goog:chromeOptions": [
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900"],
        ]]]]
        let created = try await call("POST", "/session", capabilities)
        guard let id = (created as? [String: Any])?["sessionId"] as? String else { throw Failure(description: "no WebDriver session: \(created)") }
        session = id
    }

    func quit() async {
        _ = try? await call("DELETE", "/session/\(session)")
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
    }

    func open(_ url: String) async throws { _ = try await call("POST", "/session/\(session)/url", ["url": url]) }

    /// The element `css` names, waiting up to 5 s for the page's script to make it.
    func element(_ css: String) async throws -> String {
        var lastError: (any Error)?
        for _ in 0..<34 {
            do {
                let found = try await call("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
                guard let id = (found as? [String: Any])?.values.first as? String else { throw Failure(description: "no element \(css)") }
                return id
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(150))
            }
        }
        throw lastError ?? Failure(description: "no element \(css)")
    }

    func click(_ css: String) async throws { _ = try await call("POST", "/session/\(session)/element/\(try await element(css))/click", [:]) }

    func type(_ text: String, into css: String) async throws {
        let id = try await element(css)
        _ = try await call("POST", "/session/\(session)/element/\(id)/clear", [:])
        _ = try await call("POST", "/session/\(session)/element/\(id)/value", ["text": text])
    }

    func text(_ css: String) async throws -> String {
        (try await call("GET", "/session/\(session)/element/\(try await element(css))/text") as? String) ?? ""
    }

    /// Presses and releases one key, as a USB footswitch sends it (F5 is "\u{E035}").
    func press(_ key: String) async throws {
        let actions: [String: Any] = ["actions": [["type": "key", "id": "keyboard", "actions": [
            ["type": "keyDown", "value": key], ["type": "keyUp", "value": key],
        ]]]]
        _ = try await call("POST", "/session/\(session)/actions", actions)
    }

    /// Runs JavaScript in the page and returns its result (strings, numbers, arrays, objects).
    func script(_ source: String, _ arguments: [Any] = []) async throws -> Any {
        try await call("POST", "/session/\(session)/execute/sync", ["script": source, "args": arguments])
    }

    /// Presses the mouse at `from` and releases it at `to`, moving in steps as a hand
    /// does; points are CSS pixels from the element's top-left corner (the page unscrolled).
    func drag(on css: String, from: (x: Double, y: Double), to: (x: Double, y: Double)) async throws {
        let id = try await element(css)
        let rect = try await call("GET", "/session/\(session)/element/\(id)/rect") as? [String: Any] ?? [:]
        let corner = [(rect["x"] as? NSNumber)?.doubleValue ?? 0, (rect["y"] as? NSNumber)?.doubleValue ?? 0]
        func origin(_ p: (x: Double, y: Double)) -> [String: Any] {
            ["type": "pointerMove", "duration": 50, "x": Int((corner[0] + p.x).rounded()), "y": Int((corner[1] + p.y).rounded()),
             "origin": "viewport"]
        }
        var steps: [[String: Any]] = [origin(from), ["type": "pointerDown", "button": 0]]
        for i in 1...5 {
            let t = Double(i) / 5
            steps.append(origin((from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t)))
        }
        steps.append(["type": "pointerUp", "button": 0])
        let actions: [String: Any] = ["actions": [["type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"], "actions": steps]]]
        _ = try await call("POST", "/session/\(session)/actions", actions)
        _ = try await call("DELETE", "/session/\(session)/actions")
    }

    /// Waits until `css` matches an element whose text satisfies `check`; fails after `seconds`.
    @discardableResult
    func waitForText(_ css: String, seconds: Double = 10, _ check: @escaping (String) -> Bool = { !$0.isEmpty }) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            if let text = try? await text(css) {
                last = text
                if check(text) { return text }
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        throw Failure(description: "\(css) never showed the expected text (last: \"\(last)\")")
    }

    /// Signs in on the sign-in page and waits to land on `next`.
    func signIn(base: String, user: String, password: String, next: String) async throws {
        try await open("\(base)/?next=\(next)")
        try await type(user, into: "#user")
        try await type(password, into: "#password")
        try await click("#sign-in")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            // The sign-in page's own address ends with `?next=<next>` too: wait for the redirect.
            if let url = try await call("GET", "/session/\(session)/url") as? String, url.hasSuffix(next), !url.contains("?next=") { return }
            try await Task.sleep(for: .milliseconds(150))
        }
        throw Failure(description: "signing in as \(user) did not reach \(next)")
    }

    func screenshot(to path: String) async throws {
        guard let encoded = try await call("GET", "/session/\(session)/screenshot") as? String,
              let png = Data(base64Encoded: encoded) else { throw Failure(description: "no screenshot") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: path))
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let (status, data) = try RawHTTP.exchange(port: port, method: method, path: path, body: payload)
        let json = try JSONSerialization.jsonObject(with: data.isEmpty ? Data("{}".utf8) : data)
        let value = (json as? [String: Any])?["value"] ?? NSNull()
        if status >= 400 {
            throw Failure(description: "WebDriver \(method) \(path): HTTP \(status) \(value)")
        }
        return value
    }
}

/// One HTTP/1.1 request over a plain loopback socket. chromedriver writes headers
/// without a space after the colon, which FoundationNetworking's parser rejects.
enum RawHTTP {
    static func exchange(port: Int, method: String, path: String, body: Data) throws -> (Int, Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriver.Failure(description: "socket failed") }
        defer { close(fd) }
        // A test must fail, not hang, if the driver stops answering.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw WebDriver.Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        request += Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        // Read the head, then exactly Content-Length bytes: chromedriver keeps connections open.
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        var bodyStart = 0
        while expected.map({ response.count < bodyStart + $0 }) ?? true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
            if expected == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
                bodyStart = split.upperBound
                let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                expected = length.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { throw WebDriver.Failure(description: "no HTTP response") }
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, Data(response[split.upperBound...]))
    }
}
