import ArgumentParser
import Foundation
import SampleKit
import Voice

/// Issue 17's figures: command accuracy per SNR, false triggers in ordinary talk, the
/// delay from a phrase's end to its command, and the recogniser's CPU. The speech is
/// espeak-ng's (six voices, 135-180 words a minute) over sox's room noise.
/// Run through tools/bench-voice, in a release build.
@main
struct VoiceBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needlelog-bench-voice")

    @Option(help: "Times each phrase is said per SNR (each time by the next voice).") var rounds = 3
    @Option(help: "Minutes of room talk for the false-trigger count.") var talkMinutes = 10.0
    @Option(help: "SNRs in dB, comma-separated.") var snr = "30,20,10"
    @Option(help: "The wake word (\"none\" for none).") var wakeWord = VoiceRecognizer.Settings.defaultWakeWord
    @Option(help: "Least confidence a command needs.") var minimumConfidence = VoiceRecognizer.Settings().minimumConfidence
    @Flag(help: "Name every phrase read wrong.") var verbose = false

    func run() throws {
        let settings = VoiceRecognizer.Settings(wakeWord: wakeWord == "none" ? nil : wakeWord, minimumConfidence: minimumConfidence)
        let wake = settings.wakeWord.map { $0 + ", " } ?? ""
        print("voices: \(SpokenSamples.voices.map(\.description).joined(separator: " ")); wake word: \(settings.wakeWord ?? "none"); minimum confidence \(minimumConfidence)")
        print("")
        print("SNR     correct            delay median / 95th / max     CPU (core-seconds per second of sound)")
        var cpuShares: [Double] = []
        for level in snr.split(separator: ",").compactMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            var correct = 0, total = 0, extra = 0
            var delays: [Double] = []
            var wrong: [String] = []
            for round in 0..<rounds {
                let lines = SpokenSamples.phrases.map { (text: wake + $0.spoken, phrase: Optional($0)) }
                let script = try SpokenSamples.script(lines, firstVoice: round * 2, snr: level, seed: 11 + round)
                let (heard, cpu) = try recognize(script, settings: settings)
                cpuShares.append(cpu)
                let score = SpokenSamples.score(script, heard: heard)
                correct += score.correct
                total += score.commandLines
                extra += score.falseTriggers.count
                delays += score.delays
                wrong += score.wrong.map { "\($0.line.text) [\($0.line.voice)] -> \($0.heard.map(describe) ?? "nothing taken")" }
            }
            delays.sort()
            func at(_ fraction: Double) -> Double { delays.isEmpty ? .nan : delays[min(delays.count - 1, Int(Double(delays.count) * fraction))] * 1000 }
            print(String(format: "%3.0f dB  %3d/%3d = %5.1f %%   %4.0f / %4.0f / %4.0f ms            %.3f",
                         level, correct, total, 100 * Double(correct) / Double(max(1, total)), at(0.5), at(0.95), (delays.last ?? .nan) * 1000,
                         cpuShares.last ?? .nan) + (extra > 0 ? "   (\(extra) extra commands)" : ""))
            if verbose { for line in wrong { print("        wrong: \(line)") } }
        }

        // Room talk: paragraphs in turn by each voice until the minutes are filled, at 20 dB.
        var talkSeconds = 0.0, triggers: [SpokenSamples.Heard] = [], round = 0
        while talkSeconds < talkMinutes * 60 {
            let lines = SpokenSamples.roomTalk.map { (text: $0, phrase: SpokenSamples.Phrase?.none) }
            let script = try SpokenSamples.script(lines, firstVoice: round, gap: 0.6, snr: 20, seed: 40 + round)
            let (heard, cpu) = try recognize(script, settings: settings)
            cpuShares.append(cpu)
            triggers += SpokenSamples.score(script, heard: heard).falseTriggers
            talkSeconds += script.seconds
            round += 1
        }
        print("")
        print(String(format: "false triggers: %d in %.1f minutes of room talk at 20 dB = %.1f per 10 minutes (target <= 1 with the wake word)",
                     triggers.count, talkSeconds / 60, Double(triggers.count) / (talkSeconds / 600)))
        if verbose { for trigger in triggers { print("        triggered: \(describe(trigger))") } }
        print(String(format: "recogniser CPU: %.3f core-seconds per second of sound at most (target <= 0.5 while recording)", cpuShares.max() ?? .nan))
    }

    /// What the recogniser took from a script fed in 100 ms pieces, and its CPU time per second of sound.
    private func recognize(_ script: SpokenSamples.Script, settings: VoiceRecognizer.Settings) throws -> ([SpokenSamples.Heard], Double) {
        let recognizer = try VoiceRecognizer(settings: settings)
        let before = cpuSeconds()
        var all: [VoiceRecognition] = []
        for start in stride(from: 0, to: script.samples.count, by: 1600) {
            all += recognizer.feed(Array(script.samples[start..<min(start + 1600, script.samples.count)]))
        }
        all += recognizer.finish()
        let cpu = (cpuSeconds() - before) / script.seconds
        let heard = all.filter { $0.verdict == .accepted }.map { recognition in
            let line = HeardCommand(recognition)
            return SpokenSamples.Heard(at: line.at, decided: line.decided, command: line.command ?? "", site: line.site, side: line.side, structure: line.structure)
        }
        return (heard, cpu)
    }

    private func describe(_ heard: SpokenSamples.Heard) -> String {
        [heard.command, heard.side, heard.site, heard.structure].compactMap { $0 }.joined(separator: " ") + String(format: " at %.1f s", heard.at)
    }

    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
