import Anatomy
import Foundation

/// Why a tag file could not be imported: every bad line, each with its number
/// and what would be right.
///
/// The description lists one problem a line:
/// `line 3: "L8-L9" is not a site: no vertebra L8: lumbar levels are L1-L5`.
public struct TagFileError: Error, Hashable, Sendable {
    /// The bad lines, in file order; never empty.
    public let problems: [Problem]

    /// One bad line.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The line's number, counting from 1 and including blank and comment lines.
        public let line: Int
        public let reason: Reason

        public var description: String { "line \(line): \(reason)" }
    }

    /// What is wrong with a line.
    public enum Reason: Error, Hashable, Sendable {
        /// The first word is not a time; carries the word.
        case badTime(String, TimeProblem)
        /// A time and nothing after it.
        case missingSite(time: String)
        /// The site text (what is left once a trailing structure id and side are
        /// taken off) is not a site.
        case site(String, AnatomyParseError)
        /// A side after the site that differs from the side written with it.
        case conflictingSides(Laterality, Laterality)
        /// A structure id with no site before it.
        case structureWithoutSite(TargetStructure.ID)
        /// A second structure id on one line.
        case secondStructure(TargetStructure.ID)
        /// A structure written by a name or synonym where its id belongs.
        case structureNotByID(String, TargetStructure.ID)
        /// Words after a valid site that are neither a structure id nor a side,
        /// with the catalogue ids closest to them.
        case unknownWords(String, suggestions: [TargetStructure.ID])
    }

    /// Why a time could not be read.
    public enum TimeProblem: Error, Hashable, Sendable {
        /// Not `MM:SS.s` or `HH:MM:SS.s`.
        case format
        /// Minutes of 60 or more after the hours.
        case minutes
        /// Seconds of 60 or more.
        case seconds
        /// 1000 hours or more (``TagFile`` reads times up to 999:59:59.999).
        case tooLate
    }
}

extension TagFileError: CustomStringConvertible {
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension TagFileError: LocalizedError {
    public var errorDescription: String? { description }
}

extension TagFileError.Reason: CustomStringConvertible {
    static let example = "00:12.5 L4-L5 facet-capsule left"

    public var description: String {
        switch self {
        case .badTime(let text, .format):
            "\"\(text)\" is not a time: write MM:SS.s or HH:MM:SS.s, e.g. 00:12.5 or 01:02:03.5"
        case .badTime(let text, .minutes):
            "\"\(text)\" is not a time: minutes run 00-59 after the hours"
        case .badTime(let text, .seconds):
            "\"\(text)\" is not a time: seconds run 00-59"
        case .badTime(let text, .tooLate):
            "\"\(text)\" is not a time in a clip: tag times run up to 999:59:59.999"
        case .missingSite(let time):
            "nothing after the time \(time): write TIME SITE [STRUCTURE] [SIDE], e.g. \(Self.example)"
        case .site(_, let error) where Self.quotesItsText(error):
            error.description
        case .site(let text, let error):
            "\"\(text)\" is not a site: \(error)"
        case .conflictingSides(let first, let second):
            AnatomyParseError.conflictingSides(first, second).description
        case .structureWithoutSite(let id):
            "structure \(id) has no site before it: write the site first, e.g. \(Self.example)"
        case .structureNotByID(let text, let id):
            "\"\(text)\" names a structure: write its id, \(id)"
        case .secondStructure(let id):
            "\(id) is a second structure: a line tags one structure, so give each its own line"
        case .unknownWords(let text, let suggestions):
            "\"\(text)\" is not a side or a structure id: write a side (left, right, bilateral, midline) "
                + "or a structure id" + (suggestions.isEmpty ? "" : " (closest: \(suggestions.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    /// Anatomy's message for unreadable text already quotes it; quoting it again would stutter.
    private static func quotesItsText(_ error: AnatomyParseError) -> Bool {
        if case .unrecognised = error { return true }
        return false
    }
}
