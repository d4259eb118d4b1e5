import Archive
import Media
import Foundation
import Hummingbird
import HummingbirdTesting
import Records
import Testing
import Workflows
@testable import Server

/// A daemon's desk over a SampleData clip paced as a live source, in a fresh archive.
struct DeskFixture {
    static let sampleData = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData")

    let root: URL
    let archive: SQLiteArchive
    let desk: CaptureDesk
    let server: NeedleServer
    /// The station token the command line sends; tests send it too.
    static let token = "test-station-token"
    static let station: HTTPFields = [.authorization: "Bearer \(token)"]

    init(root: URL, archive: SQLiteArchive, desk: CaptureDesk, server: NeedleServer) {
        self.root = root
        self.archive = archive
        self.desk = desk
        self.server = server
    }

    /// - Parameter staff: adds ``addStaff(to:)``'s physician and tech.
    init(clip: String = "lumbar-capture-640x480.mkv", staff: Bool = true) async throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-daemon-" + UUID().uuidString)
        archive = try SQLiteArchive(location: ArchiveLocation(root: root))
        try await archive.add(try Patient(id: PatientID("P-1"), familyName: "Doe", givenName: "Jane",
                                          birthDate: CalendarDate(year: 1971, month: 3, day: 2), sex: .female))
        if staff { try await Self.addStaff(to: archive) }
        desk = CaptureDesk(archive: archive, input: .file(Self.sampleData.appendingPathComponent(clip).path), realTime: true)
        // bcrypt at its lowest cost: real hashing, quick enough for many sign-ins.
        server = NeedleServer(archive: archive, desk: desk, hasher: PasswordHasher(cost: 4), stationToken: Self.token)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// The clinic's one physician and one tech, whom a session started without names
    /// records (issue 23: no placeholder names). They never sign in: the hash is no
    /// password's.
    static func addStaff(to archive: any ArchiveStore) async throws {
        try await archive.add(try Account(name: "dr.oak", role: .physician, person: try PersonName(family: "Oak", given: "Rowan", credentials: "MD"),
                                          passwordHash: "!"))
        try await archive.add(try Account(name: "alex", role: .tech, person: try PersonName(family: "Moreau", given: "Alex"),
                                          passwordHash: "!"))
    }
}

/// The JPEGs of a multipart/x-mixed-replace body, checking each part's Content-Length.
func MJPEGParts(_ body: Data) throws -> [Data] {
    var parts: [Data] = []
    var rest = body[...]
    while let head = rest.range(of: Data("\r\n\r\n".utf8)) {
        let header = String(decoding: rest[..<head.lowerBound], as: UTF8.self)
        guard header.hasPrefix("--needlelog-frame"),
              let length = header.split(separator: "\r\n").first(where: { $0.hasPrefix("Content-Length: ") }).flatMap({ Int($0.dropFirst(16)) })
        else { throw MediaError(.corruptData, "malformed part header: \(header)") }
        let start = head.upperBound
        parts.append(Data(rest[start..<start + length]))
        rest = rest[(start + length + 2)...]
    }
    return parts
}

func json<T: Encodable>(_ value: T) throws -> ByteBuffer {
    ByteBuffer(data: try JSONEncoder().encode(value))
}

/// The message of Hummingbird's error body, `{"error":{"message":...}}`.
func errorMessage(_ buffer: ByteBuffer) -> String {
    struct Body: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
    return (try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer)).error.message) ?? ""
}

func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    try JSONDecoder().decode(type, from: Data(buffer: buffer))
}

@Suite("the control API: start, tag, snap, stop, status", .serialized)
struct ControlAPITests {
    @Test("a script of calls ends with the expected session, tags and stills in the archive")
    func script() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let app = Application(router: buildRouter(f.server))
        try await app.test(.router) { client in
            do {
                let response = try await client.execute(uri: "/api/status", method: .get, headers: DeskFixture.station)
                #expect(response.status == .ok)
                #expect(try decode(StatusResponse.self, response.body).state == .idle)
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                     body: try json(StartRequest(patient: "P-1", treatment: "2/6", physician: "dr.oak", tech: "alex")))
                #expect(response.status == .ok)
                let status = try decode(StatusResponse.self, response.body)
                #expect(status.state == .recording && status.patient == "P-1")
            }
            try await Task.sleep(for: .milliseconds(700))
            do {
                let response = try await client.execute(uri: "/api/tag", method: .post, headers: DeskFixture.station, body: try json(TagRequest(site: "L4/5", structure: "interspinous", side: "midline")))
                #expect(response.status == .ok)
                #expect(try decode(TagResponse.self, response.body).tag == "midline L4-L5 interspinous-ligament")
            }
            try await Task.sleep(for: .milliseconds(500))
            do {
                let response = try await client.execute(uri: "/api/snap", method: .post, headers: DeskFixture.station)
                #expect(response.status == .ok)
            }
            do {
                // The live stream: three JPEG parts of the clip's size.
                let response = try await client.execute(uri: "/api/preview.mjpeg?frames=3&fps=20", method: .get, headers: DeskFixture.station)
                #expect(response.headers[.contentType] == "multipart/x-mixed-replace; boundary=needlelog-frame")
                let parts = try MJPEGParts(Data(buffer: response.body))
                #expect(parts.count == 3)
                for jpeg in parts {
                    #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == Data([0xFF, 0xD9]))
                }
                let file = f.root.appendingPathComponent("preview.jpg")
                try parts[0].write(to: file)
                let source = try MediaSource(.file(file.path))
                #expect(source.video.width == 640 && source.video.height == 480)
            }
            try await Task.sleep(for: .milliseconds(2000))   // through the first freeze (1.6-2.9 s)
            do {
                let response = try await client.execute(uri: "/api/status", method: .get, headers: DeskFixture.station)
                let status = try decode(StatusResponse.self, response.body)
                #expect(status.currentTag == "midline L4-L5 interspinous-ligament")
                #expect(status.counters.packets > 60)
                #expect(status.counters.packetsRecorded == status.counters.packets)
            }
            do {
                let response = try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station)
                #expect(response.status == .ok)
                let status = try decode(StatusResponse.self, response.body)
                #expect(status.state == .idle && status.sessionStatus == .completed)
            }
            // A repeated stop is not an error.
            do {
                let response = try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station)
                #expect(response.status == .ok)
            }
        }
        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        #expect(session.status == .completed && session.treatment.number == 2 && session.tech == "alex" && session.physician == "dr.oak")
        let tags = try await f.archive.tags(ofSession: session.id)
        #expect(tags.map(\.tag.description) == ["midline L4-L5 interspinous-ligament"])
        let stills = try await f.archive.stills(ofSession: session.id)
        #expect(stills.contains { $0.reason == .snap })
        #expect(stills.contains { $0.reason == .freeze && $0.tag?.description == "midline L4-L5 interspinous-ligament" })
    }

    @Test("bad requests get a 4xx that says what would be right")
    func badRequests() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let app = Application(router: buildRouter(f.server))
        try await app.test(.router) { client in
            do {
                let response = try await client.execute(uri: "/api/tag", method: .post, headers: DeskFixture.station, body: try json(TagRequest(site: "L4-L5")))
                #expect(response.status == .conflict)
                #expect(errorMessage(response.body).contains("no session is recording"))
            }
            do {
                let response = try await client.execute(uri: "/api/snap", method: .post, headers: DeskFixture.station)
                #expect(response.status == .conflict)
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(StartRequest(patient: "P-404")))
                #expect(response.status == .notFound)
                #expect(errorMessage(response.body).contains("no patient P-404"))
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(StartRequest(patient: "P-1", treatment: "5 of 4")))
                #expect(response.status == .badRequest)
                #expect(errorMessage(response.body).contains("NUMBER/PLANNED"))
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: ByteBuffer(string: "{\"patient\": "))
                #expect(response.status == .badRequest)
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(StartRequest(patient: "P-1")))
                #expect(response.status == .ok)
            }
            do {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(StartRequest(patient: "P-1")))
                #expect(response.status == .conflict)
            }
            do {
                let response = try await client.execute(uri: "/api/tag", method: .post, headers: DeskFixture.station, body: try json(TagRequest(site: "L8")))
                #expect(response.status == .badRequest)
                #expect(errorMessage(response.body).contains("L1-L5"))
            }
            do {
                let response = try await client.execute(uri: "/api/tag", method: .post, headers: DeskFixture.station, body: try json(TagRequest(site: "L4-L5", structure: "kneecap")))
                #expect(response.status == .badRequest)
            }
            do {
                let response = try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station)
                #expect(response.status == .ok)
            }
        }
    }
}

@Suite("what the daemon serves besides the API")
struct ServedFilesTests {
    @Test("the tech page, metrics, and stills only by id")
    func served() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let app = Application(router: buildRouter(f.server))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/tech", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<button id=\"snap\""))
            #expect(String(buffer: try await client.execute(uri: "/", method: .get).body).contains("id=\"sign-in\""))
            #expect(try await client.execute(uri: "/tech.js", method: .get, headers: DeskFixture.station).headers[.contentType]?.hasPrefix("text/javascript") == true)
            // Every page and asset in the table is in the build, with its type and the security headers.
            for (path, name) in Pages.files {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == Pages.types[String(name.split(separator: ".").last!)], "\(path)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: DeskFixture.station)
            #expect(metricValue("needlelog_recording", in: String(buffer: metrics.body)) == 0)
            #expect(String(buffer: metrics.body).contains("# TYPE needlelog_packets_total counter"))
            // Paths that try to leave: refused before any file is touched.
            for uri in ["/../etc/passwd", "/api/stills/..%2F..%2Fetc%2Fpasswd", "/api/stills/%2Fetc%2Fpasswd.png", "/tech.js/../../Package.swift"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest || response.status == .notFound, "\(uri)")
                #expect(!String(buffer: response.body).contains("root:"))
            }
            let unknown = try await client.execute(uri: "/api/stills/\(UUID().uuidString).png", method: .get, headers: DeskFixture.station)
            #expect(unknown.status == .notFound)
            let idle = try await client.execute(uri: "/api/preview.png", method: .get, headers: DeskFixture.station)
            #expect(idle.status == .notFound)
        }
    }

    @Test("continuing a session cut short: part 2 for the same procedure; a wrong id, a completed session, a second continuation and another patient refused")
    func continuing() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let app = Application(router: buildRouter(f.server))
        try await app.test(.router) { client in
            func start(_ request: StartRequest) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(request))
                return (response.status, String(buffer: response.body))
            }
            let (code, _) = try await start(StartRequest(patient: "P-1", treatment: "2/6", physician: "dr.oak", tech: "alex", indication: "facet pain"))
            try #require(code == .ok)
            try await Task.sleep(for: .seconds(1))
            let cut = try await f.desk.stop(interruption: "the daemon was stopped while recording (restart or shutdown)")
            let offered = try #require(cut.continuable, "\(cut)")
            #expect(offered.part == 1 && offered.status == .interrupted && offered.reason?.contains("daemon was stopped") == true)

            var (status, body) = try await start(StartRequest(patient: nil, continues: "not-an-id"))
            #expect(status == .badRequest && body.contains("is not a session id"), "\(body)")
            (status, body) = try await start(StartRequest(patient: nil, continues: UUID().uuidString))
            #expect(status == .notFound, "\(body)")
            (status, body) = try await start(StartRequest(patient: "P-2", continues: offered.session))
            #expect(status == .badRequest && body.contains("another patient's"), "\(body)")
            (status, body) = try await start(StartRequest(patient: nil))
            #expect(status == .badRequest && body.contains("say which patient"), "\(body)")
            #expect(await f.desk.status().continuable == offered, "refusals leave the offer as it was")

            // The next part's tech is a person too: kim takes over at the table; a ghost is refused.
            (status, body) = try await start(StartRequest(patient: nil, tech: "ghost", continues: offered.session))
            #expect(status == .badRequest && body.contains("ghost is not an account: the tech is one of alex"), "\(body)")
            try await f.archive.add(try Account(name: "kim", role: .tech, person: try PersonName(family: "Kim", given: "Jo"), passwordHash: "!"))
            (status, body) = try await start(StartRequest(patient: nil, tech: "kim", continues: offered.session))
            try #require(status == .ok, "\(body)")
            try await Task.sleep(for: .seconds(1))
            let ended = try await f.desk.stop()
            #expect(ended.continuable == nil, "a completed part is not offered")
            let secondID = try #require(ended.session.flatMap { UUID(uuidString: $0) })
            let second = try #require(try await f.archive.session(secondID))
            #expect(second.part == 2 && second.continuation?.previous.uuidString.lowercased() == offered.session)
            #expect(second.patientID.value == "P-1" && second.treatment.description == "2 of 6" && second.physician == "dr.oak"
                    && second.indication == "facet pain" && second.tech == "kim" && second.status == .completed)

            (status, body) = try await start(StartRequest(patient: nil, continues: offered.session))
            #expect(status == .conflict && body.contains("continued already"), "\(body)")
            (status, body) = try await start(StartRequest(patient: nil, continues: second.id.uuidString))
            #expect(status == .conflict && body.contains("a completed session cannot be continued"), "\(body)")
            #expect(try await f.archive.sessions(SessionFilter()).count == 2, "refused starts add no session")
        }
    }

    @Test("metrics: counters only grow over the daemon's life; a second session adds to the first's")
    func metricsOverSessions() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            func scrape() async throws -> String { String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: DeskFixture.station).body) }
            var sessions: [Int] = []
            for _ in 0..<2 {
                let started = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station, body: try json(StartRequest(patient: "P-1")))
                try #require(started.status == .ok)
                try await Task.sleep(for: .seconds(1))
                #expect(metricValue("needlelog_recording", in: try await scrape()) == 1)
                let stopped = try decode(StatusResponse.self, try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station).body)
                sessions.append(stopped.counters.packets)
                #expect(stopped.totals.packets == sessions.reduce(0, +), "\(stopped.totals.packets) for sessions of \(sessions)")
                // Each scrape's counter is what all sessions so far counted, never a session's own count.
                #expect(metricValue("needlelog_packets_total", in: try await scrape()) == Double(sessions.reduce(0, +)))
            }
            #expect(sessions.allSatisfy { $0 > 10 }, "\(sessions)")
        }
    }
}

/// The value of an unlabelled metric in Prometheus' text exposition.
func metricValue(_ name: String, in text: String) -> Double? {
    text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
}
