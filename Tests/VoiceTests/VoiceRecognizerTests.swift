import Foundation
import Media
import SampleKit
import Testing
@testable import Voice

/// The recogniser on synthesized speech over room noise (espeak-ng and sox, as
/// `tools/bench-voice` uses them, with fewer voices). The limits are looser than the
/// issue's targets (97 % at 20 dB, 1 false trigger in 10 minutes), which the bench measures.
@Suite("spoken commands recognised from synthesized voices over room noise")
struct VoiceRecognizerTests {
    static func heard(_ recognitions: [VoiceRecognition]) -> [SpokenSamples.Heard] {
        recognitions.filter { $0.verdict == .accepted }.map { recognition in
            let line = HeardCommand(recognition)
            return SpokenSamples.Heard(at: line.at, decided: line.decided, command: line.command ?? "", site: line.site, side: line.side, structure: line.structure)
        }
    }

    static func recognize(_ script: SpokenSamples.Script, settings: VoiceRecognizer.Settings = .init()) throws -> [VoiceRecognition] {
        let recognizer = try VoiceRecognizer(settings: settings)
        var all: [VoiceRecognition] = []
        // Fed in 100 ms pieces, as a microphone delivers them.
        for start in stride(from: 0, to: script.samples.count, by: 1600) {
            all += recognizer.feed(Array(script.samples[start..<min(start + 1600, script.samples.count)]))
        }
        return all + recognizer.finish()
    }

    @Test("every phrase after the wake word, in two voices at 20 dB SNR", arguments: [0, 1])
    func phrases(voice: Int) throws {
        let lines = SpokenSamples.phrases.map { (text: "okay needle, " + $0.spoken, phrase: Optional($0)) }
        let script = try SpokenSamples.script(lines, firstVoice: voice, snr: 20, seed: 3 + voice)
        let recognitions = try Self.recognize(script)
        let score = SpokenSamples.score(script, heard: Self.heard(recognitions))
        // For a wrong line, everything heard where it was said, taken or not, and why.
        let wrong = score.wrong.map { wrong in
            let start = Double(wrong.line.span.lowerBound) / Double(SpokenSamples.sampleRate) - 0.6
            let end = Double(wrong.line.span.upperBound) / Double(SpokenSamples.sampleRate) + 0.3
            let there = recognitions.filter { $0.heard.start >= start && $0.heard.start <= end }
                .map { "\"\($0.heard.text)\" \($0.verdict.rawValue) \(String(format: "%.2f", $0.confidence))" }
            return "\(wrong.line.text) (\(wrong.line.voice)): \(there)"
        }
        #expect(score.accuracy >= 0.85, "\(score.correct) of \(score.commandLines) right; wrong: \(wrong)")
        #expect(score.falseTriggers.count <= 1, "\(score.falseTriggers)")
        // The phrase's end to the command: the 0.3 s of silence that ends an utterance, and the decoding.
        let slowest = score.delays.max() ?? 0
        #expect(slowest < 0.6, "delays \(score.delays)")
    }

    @Test("talk in the room is no command while the wake word is on")
    func roomTalk() throws {
        let lines = SpokenSamples.roomTalk.map { (text: $0, phrase: SpokenSamples.Phrase?.none) }
        let script = try SpokenSamples.script(lines, snr: 20, seed: 9)
        let recognitions = try Self.recognize(script)
        let score = SpokenSamples.score(script, heard: Self.heard(recognitions))
        #expect(score.falseTriggers.count <= 1, "\(score.falseTriggers) in \(Int(script.seconds)) s of talk")
        #expect(recognitions.count >= lines.count / 2, "the talk was heard as utterances at all (\(recognitions.count))")
    }

    @Test("without the wake word, a command alone is taken")
    func noWakeWord() throws {
        let lines: [(text: String, phrase: SpokenSamples.Phrase?)] = [SpokenSamples.phrases[0], SpokenSamples.phrases[9]].map { ($0.spoken, $0) }
        let script = try SpokenSamples.script(lines, snr: 30)
        let score = SpokenSamples.score(script, heard: Self.heard(try Self.recognize(script, settings: .init(wakeWord: nil))))
        #expect(score.correct == 2, "\(score.wrong)")
    }

    @Test("a WAV file and a WAV stream on a pipe read as the same 16 kHz samples")
    func soundInput() throws {
        let speech = try SpokenSamples.speak("L four L five left facet", voice: SpokenSamples.voices[0])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("phrase.wav")
        try SpokenSamples.wav(speech).write(to: file)
        var read: [Int16] = []
        let source = try AudioSource(.file(file.path))
        while let samples = try source.read() { read += samples }
        #expect(read == speech, "a 16 kHz mono file passes through unchanged")

        // The same as 44.1 kHz stereo: resampled and mixed down, about as long.
        let stereo = folder.appendingPathComponent("stereo.wav")
        let sox = Process()
        sox.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sox.arguments = ["sox", file.path, "-r", "44100", "-c", "2", stereo.path]
        try sox.run()
        sox.waitUntilExit()
        var resampled: [Int16] = []
        let converted = try AudioSource(.file(stereo.path))
        while let samples = try converted.read() { resampled += samples }
        #expect(abs(resampled.count - speech.count) < 160, "\(resampled.count) vs \(speech.count)")
        let recognizer = try VoiceRecognizer(settings: .init(wakeWord: nil))
        let heard = try recognizer.recognize(try AudioSource(.file(stereo.path)))
        #expect(heard.contains { $0.verdict == .accepted && $0.command == .tag(VoiceTag(location: .vertebrae(.init(upper: .l4, lower: .l5)!), side: .left, structure: .init(rawValue: "facet-capsule"))) },
                "\(heard.map(\.heard.text))")
    }

    @Test("bad input says what is wrong")
    func badInput() throws {
        #expect(throws: MediaError.self) { try AudioSource(.file("/nonexistent/phrase.wav")) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.wav")
        try Data("not a sound at all".utf8).write(to: text)
        #expect(throws: MediaError.self) { try AudioSource(.file(text.path)) }
        #expect(throws: MediaError.self) { try AudioInput(parsing: "alsa:") }
        #expect(try AudioInput(parsing: "alsa:default") == .device(driver: "alsa", name: "default"))
        #expect(try AudioInput(parsing: "-") == .pipe("-", format: "wav"))
        #expect(throws: VoiceError.self) { try VoiceRecognizer(settings: .init(wakeWord: "xqzzy blorft")) }
        #expect(throws: VoiceError.self) { try VoiceRecognizer(settings: .init(minimumConfidence: 2)) }
    }
}
