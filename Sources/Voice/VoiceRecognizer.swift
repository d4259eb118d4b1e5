import Foundation
import Media

/// Spoken commands from sound: the grammar of ``SpokenVocabulary`` heard by Media's
/// ``SpeechListener``, each utterance judged by its fit and the wake word.
///
/// Measured on synthetic voices (issue 17's prototype): without a wake word no fit
/// threshold keeps ordinary talk in the room from tagging (89 false commands in ten
/// minutes of read text, 21 at a confidence of 0.5), so the wake word is on unless a
/// station turns it off.
public final class VoiceRecognizer {
    public struct Settings: Sendable, Equatable {
        /// Said before a command (in the same breath or up to ``wakeWindow`` before); nil for none.
        public var wakeWord: String?
        /// Commands below this confidence are shown as heard but not applied.
        public var minimumConfidence: Double
        /// Seconds before a phrase begins that its wake word may have been said.
        public var wakeWindow: Double

        public static let defaultWakeWord = "okay needle"

        public init(wakeWord: String? = Settings.defaultWakeWord, minimumConfidence: Double = 0.4, wakeWindow: Double = 3) {
            self.wakeWord = wakeWord
            self.minimumConfidence = minimumConfidence
            self.wakeWindow = wakeWindow
        }
    }

    public let settings: Settings
    public let vocabulary: SpokenVocabulary
    private let listener: SpeechListener
    /// Where the wake word last used for a command was heard: each wake word serves one command.
    private var wakeUsed = -Double.infinity

    /// - Throws: ``VoiceError`` when the model or dictionary is missing or the recogniser
    ///   refuses the grammar or the wake word.
    public init(settings: Settings = Settings(), dictionary: PronouncingDictionary? = nil) throws(VoiceError) {
        guard (0...1).contains(settings.minimumConfidence) else {
            throw VoiceError(.invalid, "minimum confidence \(settings.minimumConfidence) is out of range: give 0-1, e.g. 0.5")
        }
        self.settings = settings
        let dictionary = if let dictionary { dictionary } else { try PronouncingDictionary() }
        let wake = settings.wakeWord.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        vocabulary = try SpokenVocabulary(dictionary: dictionary, wakeWord: wake)
        // The recogniser reads a dictionary of the grammar's words alone, from a file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("needlelog-voice-\(UUID().uuidString).dict")
        defer { try? FileManager.default.removeItem(at: file) }
        let entries = dictionary.entries(for: vocabulary.words)
        do {
            try Data(entries.utf8).write(to: file)
        } catch {
            throw VoiceError(.model, "cannot write the recogniser's word list to \(file.path): \(error)")
        }
        do {
            listener = try SpeechListener(SpeechListener.Configuration(dictionary: file.path, grammar: vocabulary.jsgf,
                                                                       wakePhrase: vocabulary.wakeWords?.joined(separator: " ")))
        } catch {
            throw VoiceError(error.kind == .notFound ? .model : .recogniser, "\(error)")
        }
    }

    /// Feeds 16 kHz mono sound; the utterances it finished, judged.
    public func feed(_ samples: [Int16]) -> [VoiceRecognition] {
        listener.feed(samples).map(judge)
    }

    /// The sound has ended: the utterance in progress, judged.
    public func finish() -> [VoiceRecognition] {
        listener.finish().map(judge)
    }

    private func judge(_ heard: HeardUtterance) -> VoiceRecognition {
        let command = heard.text.isEmpty ? nil : vocabulary.command(heard.text)
        let confidence = VoiceRecognition.confidence(fit: heard.fit)
        var verdict = VoiceRecognition.Verdict.accepted
        if command == nil {
            verdict = .notACommand
        } else if let wakeWords = vocabulary.wakeWords {
            // The spotter hears the wake word said apart from the command; said in one breath
            // with it, the spotter often misses it where the grammar's reading has it.
            let spotted = heard.wakeHeard.map { $0 > wakeUsed && $0 >= heard.start - settings.wakeWindow && $0 <= heard.decided } ?? false
            let said = SpokenVocabulary.split(heard.text).starts(with: wakeWords)
            guard spotted || said else {
                return VoiceRecognition(heard: heard, command: command, confidence: confidence, verdict: .noWakeWord)
            }
            if confidence < settings.minimumConfidence {
                verdict = .unsure
            } else if spotted, let wake = heard.wakeHeard {
                wakeUsed = wake
            }
        } else if confidence < settings.minimumConfidence {
            verdict = .unsure
        }
        return VoiceRecognition(heard: heard, command: command, confidence: confidence, verdict: verdict)
    }

    /// Every utterance of a sound file or pipe, judged, to its end.
    public func recognize(_ source: AudioSource) throws(MediaError) -> [VoiceRecognition] {
        var all: [VoiceRecognition] = []
        while let samples = try source.read() { all += feed(samples) }
        return all + finish()
    }
}
