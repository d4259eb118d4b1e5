import Anatomy
import Foundation
import Media
import Records
import Synchronization
import Voice

/// What the tech page shows of voice commands.
public struct VoiceStatus: Codable, Sendable, Equatable {
    /// The microphone (or file) listened to.
    public var input: String
    public var listening: Bool
    /// Why listening stopped or never started (no microphone, no model).
    public var problem: String?
    /// The last utterance heard, as the grammar read it.
    public var heard: String?
    /// What it did (`tagged left L4-L5 facet-capsule`, `still taken`) or why nothing (`not sure
    /// what was said (confidence 0.32)`).
    public var did: String?
    public var confidence: Double?
    public var at: Date?
    /// A voice tag that `undo` (said, or the page's button) would take back.
    public var canUndo: Bool
}

/// Listens for spoken commands and carries them out on the capture desk: tags (what was
/// not said is kept from the tag in effect), next and previous level, snap, and undo of
/// the last voice tag. Tags it makes are marked as spoken (``TagEvent/Source/voice``).
///
/// The sound is read and recognised on a thread of its own (a microphone's read blocks);
/// commands reach the desk in the order they were said.
public final class VoiceDesk: Sendable {
    public let desk: CaptureDesk
    public let input: AudioInput
    public let settings: VoiceRecognizer.Settings
    private struct State {
        var status: VoiceStatus
        /// For undo: the tag in effect before each voice tag of the session recording now.
        var undo: [(session: UUID?, before: (site: AnatomicSite, structure: TargetStructure.ID?))] = []
    }
    private let state: Mutex<State>
    private let stop = SourceInterrupt()

    public init(desk: CaptureDesk, input: AudioInput, settings: VoiceRecognizer.Settings) {
        self.desk = desk
        self.input = input
        self.settings = settings
        state = Mutex(State(status: VoiceStatus(input: input.path, listening: false, canUndo: false)))
    }

    public func status() -> VoiceStatus { state.withLock { $0.status } }

    /// Listens until cancelled or the sound ends (a file, or a pipe closed); a microphone
    /// that cannot be opened is reported in the status, and recording goes on without voice.
    public func run() async {
        let (recognitions, continuation) = AsyncStream.makeStream(of: VoiceRecognition.self)
        let thread = Thread { [self] in
            defer { continuation.finish() }
            do {
                let recognizer = try VoiceRecognizer(settings: settings)
                // Listening from here: a FIFO's open waits for whoever plays into it.
                self.state.withLock { $0.status.listening = true; $0.status.problem = nil }
                let source = try AudioSource(input, interrupt: stop)
                while let samples = try source.read() {
                    for recognition in recognizer.feed(samples) { continuation.yield(recognition) }
                }
                for recognition in recognizer.finish() { continuation.yield(recognition) }
                self.state.withLock { $0.status.listening = false; $0.status.problem = "the sound ended (\(input.path))" }
            } catch {
                self.state.withLock { $0.status.listening = false; $0.status.problem = "\(error)" }
            }
        }
        thread.name = "needlelog-voice"
        thread.start()
        await withTaskCancellationHandler {
            for await recognition in recognitions { await apply(recognition) }
        } onCancel: {
            stop.interrupt()
        }
    }

    /// Carries out one recognition and says what it did in the status.
    func apply(_ recognition: VoiceRecognition) async {
        let did: String?
        switch recognition.verdict {
        case .accepted:
            did = await perform(recognition)
        case .unsure:
            did = String(format: "not sure what was said (confidence %.2f): nothing done", recognition.confidence)
        case .noWakeWord, .notACommand:
            // Talk in the room: not shown, so the last command stays on the page.
            did = nil
        }
        guard let did else { return }
        record(heard: recognition.heard.text, did: did, confidence: recognition.confidence)
    }

    /// Shows a command and what it did as the last one.
    public func record(heard: String, did: String, confidence: Double? = nil) {
        state.withLock { state in
            state.status.heard = heard
            state.status.did = did
            state.status.confidence = confidence.map { ($0 * 100).rounded() / 100 }
            state.status.at = Date()
        }
    }

    private func perform(_ recognition: VoiceRecognition) async -> String {
        guard let command = recognition.command else { return "nothing done" }
        do {
            switch command {
            case .tag(let tag):
                let current = await desk.tagInEffect()
                guard let made = tag.applied(to: current) else { return "say a level first: no level is tagged yet" }
                return try await tagAndRemember(made, replacing: current)
            case .nextLevel, .previousLevel:
                guard let current = await desk.tagInEffect() else { return "say a level first: no level is tagged yet" }
                guard let moved = Self.step(current.site, by: command == .nextLevel ? 1 : -1) else {
                    return "no level \(command == .nextLevel ? "below" : "above") \(current.site.location)"
                }
                return try await tagAndRemember((moved, current.structure), replacing: current)
            case .snap:
                // The still of what was on screen as the word was said, not after the pause that ended it.
                let said = min(0.5, max(0, recognition.heard.decided - recognition.heard.start))
                _ = try await desk.snap(pressedAt: Date().addingTimeInterval(-said))
                return "still taken"
            case .undo:
                return try await undo()
            }
        } catch {
            return "\(error)"
        }
    }

    /// Puts back the tag in effect before the last voice tag of the session recording now.
    public func undo() async throws -> String {
        let session = await desk.sessionRecording
        let last = state.withLock { state -> (site: AnatomicSite, structure: TargetStructure.ID?)? in
            guard let entry = state.undo.last, entry.session == session else { return nil }
            state.undo.removeLast()
            state.status.canUndo = state.undo.last?.session == session
            return entry.before
        }
        guard let last else { return "nothing to undo: no voice tag in this session" }
        let response = try await desk.tag(TagRequest(site: last.site.description, structure: last.structure?.rawValue), author: await author(), source: .voice)
        return "undone: back to \(response.tag)"
    }

    private func tagAndRemember(_ made: (site: AnatomicSite, structure: TargetStructure.ID?),
                                replacing current: (site: AnatomicSite, structure: TargetStructure.ID?)?) async throws -> String {
        let response = try await desk.tag(TagRequest(site: made.site.description, structure: made.structure?.rawValue), author: await author(), source: .voice)
        let session = await desk.sessionRecording
        state.withLock { state in
            // Only a tag that had one before it can be undone to it.
            state.undo.removeAll { $0.session != session }
            if let current { state.undo.append((session, current)) }
            state.status.canUndo = !state.undo.isEmpty
        }
        return "tagged \(response.tag)"
    }

    /// Voice tags are the tech's: whoever records the session at the table.
    private func author() async -> String {
        await desk.techAtTable ?? "station"
    }

    /// The next level down (`by: 1`) or up the spine from a site: a level, a segment (both
    /// ends move: `L4-L5` to `L5-S1`) or a rib; nil past C1 or S1 or for other sites.
    static func step(_ site: AnatomicSite, by delta: Int) -> AnatomicSite? {
        let levels = VertebralLevel.ordinaryLevels
        func moved(_ level: VertebralLevel) -> VertebralLevel? {
            guard let index = levels.firstIndex(of: level), levels.indices.contains(index + delta) else { return nil }
            return levels[index + delta]
        }
        switch site.location {
        case .vertebrae(let span):
            guard let upper = moved(span.upper), let lower = moved(span.lower), let next = VertebralSpan(upper: upper, lower: lower) else { return nil }
            return AnatomicSite(.vertebrae(next), laterality: site.laterality)
        case .rib(let rib):
            guard let next = Rib(rib.number + delta) else { return nil }
            return AnatomicSite(.rib(next), laterality: site.laterality)
        default:
            return nil
        }
    }
}
