import Anatomy
import Media

/// One utterance heard, what it says, and whether it is taken as a command.
public struct VoiceRecognition: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        /// A command, said after the wake word, that fits the sound well enough.
        case accepted
        /// Words the grammar has, but no command (the wake word alone).
        case notACommand = "not-a-command"
        /// No wake word within the few seconds before.
        case noWakeWord = "no-wake-word"
        /// The grammar's best reading fits the sound too poorly: likely other speech.
        case unsure
    }

    public var heard: HeardUtterance
    public var command: VoiceCommand?
    /// 0-1: 1 when the grammar's reading fits the sound as well as free phones do, 0.5 when
    /// 35 units per frame worse; commands need 0.4 by default (synthetic voices reading the
    /// whole catalogue's grammar right scored 0.41-0.6).
    public var confidence: Double
    public var verdict: Verdict

    /// The confidence of a fit: linear in the per-frame score difference, clamped.
    static func confidence(fit: Double) -> Double {
        min(1, max(0, 1 + fit / 70))
    }
}

/// A recognition as `needlelog voice recognize --json` prints it:
/// `{"command":"tag","site":"L4-L5","structure":"facet-capsule","side":"left","at":1.2,"confidence":0.93,...}`.
public struct HeardCommand: Codable, Sendable, Equatable {
    public var command: String?
    /// The place said, without its side (`L4-L5`, `T7 rib`, `SI joint`).
    public var site: String?
    public var structure: String?
    public var side: String?
    /// Seconds from the start of the sound where the phrase began.
    public var at: Double
    /// Seconds from the start where the recogniser had decided it.
    public var decided: Double
    public var confidence: Double
    /// The words heard.
    public var heard: String
    public var verdict: VoiceRecognition.Verdict

    public init(_ recognition: VoiceRecognition) {
        command = recognition.command?.name
        if case .tag(let tag)? = recognition.command {
            site = tag.location?.description
            structure = tag.structure?.rawValue
            side = tag.side?.rawValue
        }
        at = (recognition.heard.start * 100).rounded() / 100
        decided = (recognition.heard.decided * 100).rounded() / 100
        confidence = (recognition.confidence * 100).rounded() / 100
        heard = recognition.heard.text
        verdict = recognition.verdict
    }
}
