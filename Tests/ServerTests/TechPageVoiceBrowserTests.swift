import Archive
import Foundation
import Records
import SampleKit
import Server
import Testing
import Workflows

extension TechPageBrowserTests {
    @Test("spoken commands on the tech page: what was heard and what it did, and Undo puts back the tag before")
    func voicePanel() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam"), password: "sam's table password", by: "test")
        let fifo = f.root.appendingPathComponent("microphone.wav").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "cervical-1280x720.mp4", extra: ["--voice", fifo])
        defer { if daemon.isRunning { daemon.terminate() } }

        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: "http://127.0.0.1:\(port)", user: "sam", password: "sam's table password", next: "/tech")
            try await browser.waitForText("#voice-heard") { $0.hasPrefix("Listening") }
            try await browser.type("P-1", into: "#patient")
            try await browser.click("#start")
            try await Task.sleep(for: .seconds(1))
            let lines = ["L four L five left facet", "next level"].map { (text: "okay needle, " + $0, phrase: SpokenSamples.Phrase?.none) }
            let script = try SpokenSamples.script(lines, voices: [SpokenSamples.voices[0]], gap: 1.0, snr: 30)
            let microphone = try #require(FileHandle(forWritingAtPath: fifo))
            let wav = SpokenSamples.wav(script.samples)
            for start in stride(from: 0, to: wav.count, by: 3200) {
                microphone.write(wav.subdata(in: start..<min(start + 3200, wav.count)))
                try await Task.sleep(for: .milliseconds(100))
            }
            try microphone.close()
            try await browser.waitForText("#voice-heard") { $0.contains("tagged left L5-S1 facet-capsule") }
            #expect(try await browser.text("#voice-heard") == "Heard “okay needle next level”: tagged left L5-S1 facet-capsule")
            #expect(try await browser.text("#tag-shown") == "left L5-S1 facet-capsule")
            try await browser.screenshot(to: Self.artifacts + "/tech-page-voice.png")
            try await browser.click("#voice-undo")
            try await browser.waitForText("#tag-shown") { $0 == "left L4-L5 facet-capsule" }
            #expect(try await browser.text("#voice-heard").contains("undone: back to left L4-L5 facet-capsule"))
            try await browser.click("#stop")
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        let tags = try await f.archive.tags(ofSession: session.id)
        #expect(tags.map { "\($0.source.rawValue) \($0.tag)" } == ["voice left L4-L5 facet-capsule", "voice left L5-S1 facet-capsule", "voice left L4-L5 facet-capsule"])
        #expect(tags.allSatisfy { $0.author == "sam" })
    }
}
