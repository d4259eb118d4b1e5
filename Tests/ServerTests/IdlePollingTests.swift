import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// The tech page polls the status every 300 ms; that is the page, not the tech, so it
/// must not keep anyone signed in.
@Suite("idle logoff counts only what the user does")
struct IdlePollingTests {
    @Test("polling the status every 300 ms does not keep a sign-in alive past the idle timeout")
    func pollingDoesNotRefresh() async throws {
        let f = try await ReviewFixture(idleTimeout: .milliseconds(2000))
        defer { f.remove() }
        let (firstRefusal, afterwards) = try await Application(router: buildRouter(f.server)).test(.router) { client in
            // Measured from before the sign-in: the server starts its idle clock while answering it.
            let signedIn = ContinuousClock.now
            let sam = try #require(try await Login.signIn(client, "sam"))
            // The 8 s of polling count from the answer: beside forty suites, bcrypt's threads
            // may be held by another suite for seconds before the sign-in is checked.
            let answered = ContinuousClock.now
            var firstRefusal: Duration?
            var polling = sam.read
            polling[HTTPField.Name("X-NeedleLog-Poll")!] = "1"   // as tech.js sends it
            // Up to 8 s of polling, as the page does, until the sign-in ends.
            while firstRefusal == nil, ContinuousClock.now - answered < .seconds(8) {
                let status = try await client.execute(uri: "/api/status", method: .get, headers: polling)
                if status.status == .unauthorized { firstRefusal = ContinuousClock.now - signedIn }
                try await Task.sleep(for: .milliseconds(300))
            }
            return (firstRefusal, try await client.execute(uri: "/api/me", method: .get, headers: sam.read).status)
        }
        let refusal = try #require(firstRefusal, "eight seconds of polling kept a sign-in with a 2 s idle timeout alive")
        #expect(refusal >= .milliseconds(2000), "signed out after \(refusal)")
        #expect(afterwards == .unauthorized)
    }

    @Test("a GET the page marks as polling does not refresh; the same GET as a user action does")
    func markedPolls() async throws {
        // Generous margins: this suite runs beside forty others on two cores.
        let f = try await ReviewFixture(idleTimeout: .milliseconds(4000))
        defer { f.remove() }
        let (polled, acted) = try await Application(router: buildRouter(f.server)).test(.router) { client in
            let lee = try #require(try await Login.signIn(client, "dr.lee"))
            let kim = try #require(try await Login.signIn(client, "dr.kim"))
            var marked = lee.read
            marked[HTTPField.Name("X-NeedleLog-Poll")!] = "1"
            var polled: [Int] = []
            var acted: [Int] = []
            // Both ask for the sessions list every second for six seconds; only kim's count as doing something.
            for _ in 0..<6 {
                try await Task.sleep(for: .milliseconds(1000))
                polled.append(Int(try await client.execute(uri: "/api/sessions", method: .get, headers: marked).status.code))
                acted.append(Int(try await client.execute(uri: "/api/sessions", method: .get, headers: kim.read).status.code))
            }
            return (polled, acted)
        }
        #expect(polled.first == 200 && polled.last == 401, "\(polled)")
        #expect(acted == Array(repeating: 200, count: 6), "\(acted)")
    }

    @Test("a live picture opened by a browser ends when its sign-in ends")
    func streamEndsWithSignIn() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        try await Application(router: buildRouter(f.server)).test(.router) { client in
            let start = try await client.execute(uri: "/api/session/start", method: .post, headers: DeskFixture.station,
                                                 body: ByteBuffer(string: #"{"patient":"P-1","physician":"dr.lee"}"#))
            #expect(start.status == .ok)
            let sam = try #require(try await Login.signIn(client, "sam"))
            let opened = ContinuousClock.now
            async let stream = client.execute(uri: "/api/preview.mjpeg?fps=5", method: .get, headers: sam.read)
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await client.execute(uri: "/api/logout", method: .post, headers: sam.write).status == .noContent)
            let response = try await stream
            let lasted = ContinuousClock.now - opened
            // The sample clip runs 10 s: without the check the stream would last until the recording ends.
            let stillRecording = await f.desk.desk.isRecording
            #expect(response.status == .ok && stillRecording, "the stream lasted \(lasted), until the recording ended, after sign-out at 1.5 s")
            #expect(try MJPEGParts(Data(buffer: response.body)).count >= 1)
            _ = try await client.execute(uri: "/api/session/stop", method: .post, headers: DeskFixture.station)
        }
    }
}
