import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Records
import Testing
import Workflows
@testable import Server

/// Work that takes a core each time (WebM excerpts, bcrypt, JPEG for the live picture)
/// is bounded, so many requests at once cannot starve the recorder and the pages.
@Suite("expensive work is bounded")
struct ExpensiveWorkTests {
    /// The fixture with a real recording (the 10 s lumbar capture clip, copied in as a
    /// session's recording: no import, which would keep two cores busy for seconds).
    static func withRecording(transcodes: WorkLimiter) async throws -> (ReviewFixture, NeedleServer, String) {
        let f = try await ReviewFixture()
        var session = try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(timeIntervalSince1970: 1_714_636_800),
                                           physician: "dr.lee", tech: "sam", indication: "low back pain", treatment: TreatmentNumber(3, of: 4))
        let name = "recordings/\(session.id.uuidString.lowercased()).mkv"
        session.recording = try ArchivePath(name)
        let file = f.archive.location.root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv"), to: file)
        try await f.archive.add(session)
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, sessions: f.server.sessions, hasher: PasswordHasher(cost: 4),
                                  stationToken: DeskFixture.token, transcodes: transcodes)
        return (f, server, "/api/sessions/\(session.id.uuidString.lowercased())/clip")
    }

    @Test("with every transcode slot taken, an excerpt gets 503, Retry-After and a JSON message; with one free it plays")
    func slotsTaken() async throws {
        let limiter = WorkLimiter(limit: 2)
        let (f, server, uri) = try await Self.withRecording(transcodes: limiter)
        defer { f.remove() }
        try await Application(router: buildRouter(server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            #expect(limiter.acquire() && limiter.acquire())
            let busy = try await client.execute(uri: "\(uri)?at=4", method: .get, headers: lee.read)
            #expect(busy.status == .serviceUnavailable)
            #expect(Int(busy.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(errorMessage(busy.body).contains("2 recordings are being converted already"), "\(errorMessage(busy.body))")
            limiter.release()
            let played = try await client.execute(uri: "\(uri)?at=4", method: .get, headers: lee.read)
            #expect(played.status == .ok && played.headers[.contentType] == "video/webm" && played.body.readableBytes > 10_000)
            #expect(limiter.running == 1)   // the slot the route took is given back
            limiter.release()
        }
    }

    @Test("8 excerpts asked for at once with 2 slots: never more than 2 convert at a time, the rest are told to come back")
    func parallelExcerpts() async throws {
        let limiter = WorkLimiter(limit: 2)
        let (f, server, uri) = try await Self.withRecording(transcodes: limiter)
        defer { f.remove() }
        let statuses = try await Application(router: buildRouter(server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask { try await client.execute(uri: "\(uri)?at=\(3 + index % 4)&before=5&after=5", method: .get, headers: lee.read).status.code }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        #expect(limiter.mostAtOnce <= 2, "\(limiter.mostAtOnce) excerpts converted at once")
        #expect(Set(statuses).isSubset(of: [200, 503]), "\(statuses)")
        #expect(statuses.contains(200) && statuses.contains(503), "\(statuses.sorted())")
        #expect(limiter.running == 0)
    }

    @Test("sign-ins are checked on the bcrypt threads, not the server's: while they are held the server answers, and beyond the queue a sign-in gets 503")
    func bcryptPool() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        // One bcrypt thread and room for three hashes in hand, as a small station would have.
        let pool = WorkerPool(name: "bcrypt-test", threads: 1, queueLimit: 3, busy: "too many sign-ins are being checked at once: try again in a few seconds")
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, sessions: f.server.sessions,
                                  hasher: PasswordHasher(cost: 4, pool: pool), stationToken: DeskFixture.token)
        // The thread is held for 1.5 s, as by a long hash; that takes one of the three places.
        let held = Task { try await pool.run { usleep(1_500_000) } }
        try await Task.sleep(for: .milliseconds(100))
        let (signIns, probe) = try await Application(router: buildRouter(server)).test(.router) { client in
            try await withThrowingTaskGroup(of: (name: String, status: Int, took: Duration, retryAfter: String?).self) { group in
                for name in ["dr.lee", "dr.kim", "sam", "root.admin"] {
                    group.addTask {
                        let asked = ContinuousClock.now
                        let response = try await client.execute(uri: "/api/login", method: .post,
                                                                body: ByteBuffer(string: #"{"user":"\#(name)","password":"not the password"}"#))
                        return (name, response.status.code, ContinuousClock.now - asked, response.headers[.retryAfter])
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    let asked = ContinuousClock.now
                    let response = try await client.execute(uri: "/api/status", method: .get, headers: DeskFixture.station)
                    return ("status", response.status.code, ContinuousClock.now - asked, nil)
                }
                var signIns: [(name: String, status: Int, took: Duration, retryAfter: String?)] = []
                var probe: (status: Int, took: Duration)?
                for try await result in group {
                    if result.name == "status" { probe = (result.status, result.took) } else { signIns.append(result) }
                }
                return (signIns, probe)
            }
        }
        _ = try await held.value
        let checked = signIns.filter { $0.status == 401 }
        let refused = signIns.filter { $0.status == 503 }
        #expect(checked.count == 2 && refused.count == 2, "\(signIns.map { "\($0.name) \($0.status)" })")
        // The checked ones waited for the held thread: their hashes ran there.
        #expect(checked.allSatisfy { $0.took >= .milliseconds(1200) }, "\(checked.map(\.took))")
        #expect(refused.allSatisfy { $0.retryAfter == "5" })
        // Meanwhile the server's own threads were free.
        let answered = try #require(probe)
        #expect(answered.status == 200 && answered.took < .milliseconds(500), "the status took \(answered.took) while bcrypt was busy")
        #expect(WorkerPool.passwords.threads == max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
    }

    /// A desk recording the sample clip, once its first frame is decoded.
    static func recordingDesk() async throws -> DeskFixture {
        let f = try await DeskFixture()
        _ = try await f.desk.start(StartRequest(patient: "P-1"))
        for _ in 0..<50 {
            if try await f.desk.previewJPEG() != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return f
    }

    @Test("the live picture: viewers asking for the same frame share one JPEG encode")
    func sharedPreviewEncode() async throws {
        let f = try await Self.recordingDesk()
        defer { f.remove() }
        let desk = f.desk
        // 64 viewers at once, twice. Every JPEG is kept until all are in, so two encodes can
        // never share an address: the storage tells whether a JPEG was made for its call or shared.
        var kept: [(time: Double, jpeg: Data)] = []
        for _ in 0..<2 {
            kept += try await withThrowingTaskGroup(of: (Double, Data)?.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        guard let (jpeg, time) = try await desk.previewJPEG() else { return nil }
                        return (time, jpeg)
                    }
                }
                return try await group.reduce(into: [(Double, Data)]()) { if let result = $1 { $0.append(result) } }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        var byTime: [Double: Set<UInt>] = [:]
        for (time, jpeg) in kept { byTime[time, default: []].insert(jpeg.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }) }
        let calls = kept.count
        _ = try await desk.stop()
        let encodes = byTime.values.map(\.count).reduce(0, +)
        // The sample clip lasts 10 s: on a loaded machine the second round may find the
        // session over (nil answers). The first round always finds it recording.
        #expect(calls >= 64, "\(calls) of 128 calls got a picture")
        #expect(byTime.values.allSatisfy { $0.count == 1 }, "\(encodes) encodes for \(byTime.count) frames in \(calls) calls")
    }

    @Test("pictures are made on threads of their own: while they are held the desk takes a tag at once, and beyond the queue a picture is refused")
    func picturePool() async throws {
        let f = try await Self.recordingDesk()
        defer { f.remove() }
        let desk = f.desk
        // One picture thread, held for 1.5 s as by a slow encode, and one more place in the queue.
        let pool = WorkerPool(name: "pictures-test", threads: 1, queueLimit: 2, busy: "too many pictures are being made at once")
        let held = Task { try await pool.run { usleep(1_500_000) } }
        try await Task.sleep(for: .milliseconds(100))
        let waiting = Task { try await desk.preview(pool: pool) }
        try await Task.sleep(for: .milliseconds(100))
        let asked = ContinuousClock.now
        let tagged = try await desk.tag(TagRequest(site: "L4-L5", structure: "facet-capsule", side: "left"), author: "sam")
        let took = ContinuousClock.now - asked
        #expect(tagged.tag.contains("L4-L5"), "\(tagged.tag)")
        #expect(took < .milliseconds(500), "the tag waited \(took) for a picture")
        let refused = await #expect(throws: WorkerPool.Busy.self) { try await desk.preview(pool: pool) }
        #expect(refused?.description == "too many pictures are being made at once")
        // The queued picture is made once the thread is free: a whole PNG of the screen.
        let png = try #require(try await waiting.value)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 1000)
        _ = try await held.value
        _ = try await desk.stop()
    }
}
