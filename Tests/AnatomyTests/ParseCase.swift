import Anatomy
import Testing

/// One row of a parsing table: what a tech typed and what must come of it,
/// either the canonical site or the exact message of the refusal.
struct ParseCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case parses(String)
        case refused(String)
    }

    let input: String
    let outcome: Outcome

    static func ok(_ input: String, _ canonical: String) -> ParseCase {
        ParseCase(input: input, outcome: .parses(canonical))
    }

    static func refused(_ input: String, _ message: String) -> ParseCase {
        ParseCase(input: input, outcome: .refused(message))
    }

    var testDescription: String { "\"\(input)\"" }

    /// Parses `input` with `parse` and checks the outcome.
    func check<Parsed: CustomStringConvertible>(_ parse: (String) throws -> Parsed) {
        switch outcome {
        case .parses(let canonical):
            do {
                #expect(try parse(input).description == canonical)
            } catch {
                Issue.record("\"\(input)\" was refused: \(error)")
            }
        case .refused(let message):
            do {
                let parsed = try parse(input)
                Issue.record("\"\(input)\" parsed as \(parsed), expected refusal: \(message)")
            } catch {
                // The refusal must be the module's typed error, with exactly this message.
                #expect((error as? AnatomyParseError)?.description == message)
            }
        }
    }
}
