internal import CSpeech
import Foundation

/// One stretch of speech the recogniser heard and read against its grammar.
public struct HeardUtterance: Sendable, Equatable {
    /// The grammar's words it fits best; empty when nothing fit.
    public var text: String
    /// Seconds from the start of the sound where the speech began.
    public var start: Double
    /// Seconds from the start of the sound where the utterance was decided (its end plus
    /// the silence that ends it).
    public var decided: Double
    /// How much worse the grammar's reading fits the sound than free phones, per 10 ms
    /// frame of speech (0: as well; speech that is no command scores far below -35).
    public var fit: Double
    /// Seconds from the start of the sound where the wake phrase was last heard, if ever.
    public var wakeHeard: Double?
    /// Milliseconds the recogniser took once the utterance had ended.
    public var decodeMilliseconds: Double
}

/// Listens for commands of a grammar in 16 kHz mono sound (PocketSphinx, through the
/// CSpeech shim): finds utterances, reads each against the grammar, scores the fit, and
/// spots a wake phrase. Not thread-safe: one thread feeds it.
public final class SpeechListener {
    public struct Configuration: Sendable {
        /// The acoustic model's folder.
        public var model: String
        /// A pronouncing dictionary holding every word of the grammar and the wake phrase.
        public var dictionary: String
        /// The phone language model for the free-phone reading that scores the fit.
        public var phoneModel: String
        /// The grammar, JSGF text.
        public var grammar: String
        public var wakePhrase: String?
        /// Smaller spots the wake phrase more readily (and in more that is not it).
        public var wakeThreshold: Double
        /// Seconds of silence that end an utterance.
        public var silenceEnding: Double

        /// Debian's `pocketsphinx-en-us`.
        public static let standardModel = "/usr/share/pocketsphinx/model/en-us/en-us"
        public static let standardPhoneModel = "/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin"

        public init(dictionary: String, grammar: String, wakePhrase: String? = nil, wakeThreshold: Double = 1e-30,
                    silenceEnding: Double = 0.3, model: String = standardModel, phoneModel: String = standardPhoneModel) {
            self.model = model
            self.dictionary = dictionary
            self.phoneModel = phoneModel
            self.grammar = grammar
            self.wakePhrase = wakePhrase
            self.wakeThreshold = wakeThreshold
            self.silenceEnding = silenceEnding
        }
    }

    private let listener: OpaquePointer

    /// - Throws: ``MediaError`` `.notFound` when the model is not installed, `.invalidArgument`
    ///   when the recogniser refuses the dictionary, grammar or wake phrase.
    public init(_ configuration: Configuration) throws(MediaError) {
        for (path, what) in [(configuration.model, "acoustic model"), (configuration.phoneModel, "phone model"), (configuration.dictionary, "dictionary")]
        where !FileManager.default.fileExists(atPath: path) {
            throw MediaError(.notFound, "the speech recogniser's \(what) is missing: install pocketsphinx-en-us (tools/setup does)", path: path)
        }
        var error = [CChar](repeating: 0, count: 256)
        let opened: OpaquePointer? = configuration.model.withCString { model in
            configuration.dictionary.withCString { dictionary in
                configuration.phoneModel.withCString { phones in
                    configuration.grammar.withCString { grammar in
                        withOptionalCString(configuration.wakePhrase) { wake in
                            var config = nl_listener_config(model: model, dictionary: dictionary, phone_lm: phones, jsgf: grammar, wake: wake,
                                                            wake_threshold: configuration.wakeThreshold,
                                                            post_speech_frames: Int32((configuration.silenceEnding * 100).rounded()))
                            return nl_listener_open(&config, &error, error.count)
                        }
                    }
                }
            }
        }
        guard let opened else {
            throw MediaError(.invalidArgument, String(cBuffer: error))
        }
        listener = opened
    }

    deinit { nl_listener_close(listener) }

    /// Feeds sound; the utterances it finished.
    public func feed(_ samples: [Int16]) -> [HeardUtterance] {
        let waiting = samples.withUnsafeBufferPointer { nl_listener_feed(listener, $0.baseAddress, $0.count) }
        return waiting > 0 ? take() : []
    }

    /// The sound has ended: the utterance in progress, if any.
    public func finish() -> [HeardUtterance] {
        nl_listener_finish(listener) > 0 ? take() : []
    }

    private func take() -> [HeardUtterance] {
        var heard: [HeardUtterance] = []
        var utterance = nl_utterance()
        let rate = Double(AudioSource.sampleRate)
        while nl_listener_take(listener, &utterance) != 0 {
            let text = withUnsafeBytes(of: utterance.text) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            heard.append(HeardUtterance(text: text, start: Double(utterance.start) / rate, decided: Double(utterance.end) / rate,
                                        fit: utterance.log_ratio, wakeHeard: utterance.wake_end >= 0 ? Double(utterance.wake_end) / rate : nil,
                                        decodeMilliseconds: utterance.decode_ms))
        }
        return heard
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
