import ArgumentParser
import Foundation
import Media
import Voice

/// `needlelog voice ...`: spoken commands, from the command line.
struct VoiceCommandGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice",
        abstract: "Spoken commands at the table: what the recogniser hears in a sound file.",
        subcommands: [RecognizeVoiceCommand.self]
    )
}

/// `needlelog voice recognize FILE.wav [--json] [--all] [--wake-word W | --no-wake-word]`.
struct RecognizeVoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognize",
        abstract: "Print each command heard in a sound file (or - for a WAV stream on standard input), with its time and confidence.",
        discussion: """
            The same recogniser the daemon listens with: a command counts when it follows the wake \
            word ("okay needle L four L five left facet") and fits the sound well enough. --all also \
            prints what was heard but not taken, and why: no-wake-word, unsure (a poor fit: likely \
            other talk), not-a-command.
            """
    )

    @Argument(help: "A sound file FFmpeg reads (WAV, FLAC, MP3...), or - for WAV on standard input.") var file: String
    @Flag(help: "One JSON object per line.") var json = false
    @Flag(help: "Also print utterances that were not taken as commands, with the reason.") var all = false
    @Option(help: "The words said before each command.") var wakeWord = VoiceRecognizer.Settings.defaultWakeWord
    @Flag(help: "Take commands without a wake word (ordinary talk in the room will tag too).") var noWakeWord = false
    @Option(help: "Least confidence (0-1) a command needs.") var minimumConfidence = VoiceRecognizer.Settings().minimumConfidence

    func run() throws {
        let recognizer: VoiceRecognizer
        let source: AudioSource
        do {
            recognizer = try VoiceRecognizer(settings: .init(wakeWord: noWakeWord ? nil : wakeWord, minimumConfidence: minimumConfidence))
        } catch {
            throw CommandError("\(error)")
        }
        do {
            source = try AudioSource(try AudioInput(parsing: file))
        } catch {
            throw CommandError("\(error)")
        }
        let heard: [VoiceRecognition]
        do {
            heard = try recognizer.recognize(source)
        } catch {
            throw CommandError("\(error)")
        }
        for recognition in heard where all || recognition.verdict == .accepted {
            let line = HeardCommand(recognition)
            if json {
                print(try JSONOutput.line(line))
            } else {
                let what = line.command.map { command in
                    [command == "tag" ? nil : command, line.side, line.site, line.structure].compactMap { $0 }.joined(separator: " ")
                } ?? "-"
                let verdict = recognition.verdict == .accepted ? "" : "  (\(recognition.verdict.rawValue))"
                print(String(format: "%7.2f s  ", line.at) + what + String(format: "  confidence %.2f", line.confidence) + "  heard \"\(line.heard)\"" + verdict)
            }
        }
    }
}
