import Archive
import Foundation
import Testing
@testable import Server

extension DaemonProcessTests {
    @Test("the daemon looks for the needle on a session's stills once it stops recording, not while it records")
    func suggestsAfterTheSession() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let (daemon, port, _) = try Self.launch(archive: f.root, clip: "cervical-1280x720.mp4")
        defer { if daemon.isRunning { daemon.terminate() } }
        let token = try Self.token(f.root)
        #expect(try await request(port, "session/start", body: #"{"patient":"P-1","treatment":"1/6"}"#, token: token).0 == 200)
        try await Task.sleep(for: .seconds(1))
        #expect(try await request(port, "snap", body: "{}", token: token).0 == 200)
        try await Task.sleep(for: .seconds(4))   // past the first freeze (2.0-3.5 s), and two of the watch's rounds
        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        let stills = try await f.archive.stills(ofSession: session.id)
        #expect(stills.count >= 2, "the snap and the freeze")
        for still in stills {
            #expect(try await f.archive.needleSuggestion(ofStill: still.id) == nil, "looked at while recording")
        }
        #expect(try await request(port, "session/stop", body: "{}", token: token).0 == 200)
        var looked: [StillNeedleSuggestion] = []
        for _ in 0..<40 where looked.count < stills.count {
            try await Task.sleep(for: .milliseconds(250))
            looked = []
            for still in stills { if let stored = try await f.archive.needleSuggestion(ofStill: still.id) { looked.append(stored) } }
        }
        #expect(looked.count == stills.count, "every still looked at within 10 s of the stop")
        #expect(looked.allSatisfy { $0.detector == "needle-1" })
        // The cervical clip's needle enters at 9 s: none on these stills.
        #expect(looked.allSatisfy { $0.suggestion == nil })
    }
}
