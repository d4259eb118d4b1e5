import Foundation

/// Why a record value was refused.
///
/// Every message says what was wrong and what would be right, so the tech or
/// physician who typed the value can fix it without reading code:
/// `pain score 11 is out of range: NRS is 0-10`.
///
/// Decoding stored data runs the same checks; a stored value that fails them is
/// reported as `DecodingError.dataCorrupted` carrying this message.
public enum RecordError: Error, Hashable, Sendable {
    /// Required text was empty or only spaces.
    case empty(Field)
    /// Text longer than the field holds.
    case tooLong(Field, length: Int, limit: Int)
    /// Text containing a character the field cannot hold.
    case forbiddenCharacter(Field, text: String, character: Character)
    /// Text that is not written in the field's format.
    case malformed(Field, text: String)
    /// A number outside what the field allows; `value` is the number as text, without its unit.
    case outOfRange(Field, value: String)
    /// A calendar date whose day does not exist in its month (`2023-02-29`).
    case impossibleDate(year: Int, month: Int, day: Int)
    /// "Treatment x of planned n" with x above n.
    case treatmentBeyondPlan(number: Int, planned: Int)
    /// Two follow-up pain scores on the same day.
    case duplicateFollowUp(daysAfter: Int)
    /// An activation agent recorded for PRP that was not activated.
    case activationAgentWithoutActivation(String)
    /// A session whose end comes before its start.
    case sessionEndsBeforeStart(start: Date, end: Date)
    /// A session still recording that has an end time.
    case endWhileRecording
    /// A status change a session cannot make, such as completed to recording.
    case impossibleTransition(from: ProcedureSession.Status, to: ProcedureSession.Status)
    /// A session continued although it was not cut short (it records, or it completed).
    case notContinuable(ProcedureSession.Status)
    /// A needle drawn with its tip on its entry point, which has no direction.
    case needleWithoutLength
    /// A point of a drawing that lies outside the still it is drawn on.
    case pointOutsideImage(x: Double, y: Double, width: Int, height: Int)
    /// A revision based on itself or on a later revision.
    case basedOnLaterRevision(basedOn: Int, revision: Int)
    /// A revision that is not in the history; `latest` is 0 when there are none.
    case noSuchRevision(Int, latest: Int)
    /// A revision added with a number other than the next one.
    case revisionOutOfSequence(Int, expected: Int)
    /// An annotation added to the history of another still.
    case stillMismatch(history: UUID, annotation: UUID)
}

extension RecordError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty(let field):
            "\(field.noun) is empty: \(field.emptyAdvice)"
        case .tooLong(let field, let length, let limit):
            "\(field.noun) is \(length) characters long: write at most \(limit)"
        case .forbiddenCharacter(let field, let text, let character):
            TextRules.isPrintable(character)
                ? "\(field.noun) \"\(text)\" contains \"\(character)\": \(field.advice)"
                : "\(field.noun) contains the unprintable character \(TextRules.codePoints(character)): \(field.advice)"
        case .malformed(let field, let text):
            "\(field.noun) \"\(text)\" is not valid: \(field.advice)"
        case .outOfRange(let field, let value):
            "\(field.noun) \(value)\(field.unit) is out of range: \(field.advice)"
        case .impossibleDate(let year, let month, let day):
            "\(CalendarDate.text(year: year, month: month, day: day)) does not exist: "
                + "\(CalendarDate.monthNames[month - 1]) \(year) has \(CalendarDate.daysIn(month: month, year: year)) days"
        case .treatmentBeyondPlan(let number, let planned):
            "treatment \(number) of \(planned): the treatment number cannot exceed the planned number"
        case .duplicateFollowUp(let days):
            "two follow-up scores at \(days) days: keep one score per day"
        case .activationAgentWithoutActivation(let agent):
            "activation agent \"\(agent)\" given for PRP that was not activated: mark it activated or remove the agent"
        case .sessionEndsBeforeStart(let start, let end):
            "session ends at \(end.formatted(.iso8601)), before its start at \(start.formatted(.iso8601)): "
                + "the end must come after the start"
        case .endWhileRecording:
            "a session that is still recording has no end time: change its status to end it"
        case .pointOutsideImage(let x, let y, let width, let height):
            "point (\(NumberText.decimal(x)), \(NumberText.decimal(y))) lies outside the \(width)x\(height) still: "
                + "x runs from 0 to \(width) and y from 0 to \(height)"
        case .impossibleTransition(let from, let to) where from == to:
            "the session is already \(to)"
        case .impossibleTransition(let from, let to):
            "\(from == .interrupted ? "an" : "a") \(from) session cannot become \(to): \(from) is final"
                + (to == .recording ? "; start a new session to record again" : "")
        case .notContinuable(.recording):
            "the session is still recording: a session continues as a next part only once it was cut short"
        case .notContinuable(let status):
            "\(status == .interrupted ? "an" : "a") \(status) session cannot be continued: only an interrupted or failed session "
                + "continues as a next part; start a new session for a new procedure"
        case .needleWithoutLength:
            "needle entry and tip are the same point: draw the tip where the needle ends"
        case .basedOnLaterRevision(let basedOn, let revision):
            "revision \(revision) cannot be based on revision \(basedOn): a revision builds on an earlier one"
        case .noSuchRevision(let revision, let latest):
            "revision \(revision) does not exist: "
                + (latest == 0 ? "there are no revisions yet" : latest == 1 ? "the only revision is 1" : "revisions are 1-\(latest)")
        case .revisionOutOfSequence(let revision, let expected):
            "revision \(revision) is out of sequence: the next revision is \(expected)"
        case .stillMismatch(let history, let annotation):
            "annotation of still \(annotation) cannot join the history of still \(history): keep one history per still"
        }
    }
}

extension RecordError: LocalizedError {
    public var errorDescription: String? { description }
}
