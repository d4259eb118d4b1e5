import Archive
import Foundation
import Records
import SampleKit
import Testing
@testable import Server

extension DaemonProcessTests {
    /// Spoken commands played into a daemon recording a session, as a microphone would
    /// deliver them (in real time, through a FIFO): they tag, snap, move a level and undo,
    /// and the archive keeps the tags marked as spoken.
    @Test("a voice played into the daemon tags, snaps, moves a level and undoes, into the archive")
    func voiceCommands() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        let fifo = f.root.appendingPathComponent("microphone.wav").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let (daemon, port, _) = try Self.launch(archive: f.root, clip: "cervical-1280x720.mp4", extra: ["--voice", fifo])
        defer { if daemon.isRunning { daemon.terminate() } }
        let token = try Self.token(f.root)
        #expect(try await request(port, "session/start", body: #"{"patient":"P-1","treatment":"1/6"}"#, token: token).0 == 200)

        let lines = ["L four L five left facet", "snap", "next level", "undo"].map { (text: "okay needle, " + $0, phrase: SpokenSamples.Phrase?.none) }
        let script = try SpokenSamples.script(lines, voices: [SpokenSamples.voices[0]], gap: 1.2, snr: 30)
        let wav = SpokenSamples.wav(script.samples)
        // Opening blocks until the daemon's voice thread has the FIFO open for reading.
        let microphone = try #require(FileHandle(forWritingAtPath: fifo))
        let piece = SpokenSamples.sampleRate / 10 * 2
        for start in stride(from: 0, to: wav.count, by: piece) {
            microphone.write(wav.subdata(in: start..<min(start + piece, wav.count)))
            try await Task.sleep(for: .milliseconds(100))
        }
        try microphone.close()
        try await Task.sleep(for: .seconds(1.5))

        let (code, body) = try await request(port, "status", token: token)
        #expect(code == 200)
        let status = try JSONDecoder.iso8601.decode(StatusWithVoice.self, from: body)
        #expect(status.voice?.did == "undone: back to left L4-L5 facet-capsule", "\(String(describing: status.voice))")
        #expect(status.currentTag == "left L4-L5 facet-capsule")
        #expect(try await request(port, "session/stop", body: "{}", token: token).0 == 200)

        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        let tags = try await f.archive.tags(ofSession: session.id)
        #expect(tags.map(\.source) == [.voice, .voice, .voice], "\(tags)")
        #expect(tags.map { $0.tag.description } == ["left L4-L5 facet-capsule", "left L5-S1 facet-capsule", "left L4-L5 facet-capsule"])
        let snapped = try await f.archive.stills(ofSession: session.id).filter { $0.reason == .snap }
        #expect(snapped.count == 1)
        #expect(snapped.first?.tag?.description == "left L4-L5 facet-capsule", "the still of the spoken snap carries the spoken tag")
        // Said between the first tag and the level change.
        if let still = snapped.first { #expect(still.time > tags[0].time && still.time < tags[1].time) }
    }

    struct StatusWithVoice: Decodable {
        struct Voice: Decodable, CustomStringConvertible {
            var listening: Bool
            var heard: String?
            var did: String?
            var problem: String?
            var description: String { "listening \(listening), heard \(heard ?? "-"), did \(did ?? "-"), problem \(problem ?? "-")" }
        }
        var currentTag: String?
        var voice: Voice?
    }
}

private extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
