import Anatomy
import Foundation

/// The tags that come with an imported clip, one event a line:
///
/// ```
/// # time  site  [structure]  [side]
/// 00:12.5 L4-L5 facet-capsule left
/// 00:40   left SI joint posterior-sacroiliac-ligament
/// 01:02:03.5 T7 rib costotransverse-joint R
/// ```
///
/// A line is a time (`MM:SS.s` or `HH:MM:SS.s`), then a site, then optionally a
/// structure id and a side in either order. Because a site may itself be several
/// words (`left SI joint`), the line is read from its end: trailing words that are
/// a catalogue structure id or a side are taken off, at most one of each, and
/// what is left is read by `AnatomicSite(parsing:)`. Only ids count as
/// structures, never names: names such as `facet` or `SI joint` would collide
/// with site words. A side may also be written with the site (`left SI joint`);
/// two different sides are refused. Blank lines and `#` comments are skipped.
public struct TagFile: Hashable, Sendable, Codable {
    /// The events in file order.
    public var events: [TagEvent]

    public init(events: [TagEvent]) {
        self.events = events
    }

    /// Reads a tag file; every event gets `author` and the ``TagEvent/Source-swift.enum/tagFile`` source.
    ///
    /// - Parameter options: whether transitional levels (T13, L6) are accepted.
    /// - Throws: ``TagFileError`` listing every bad line, so one import attempt
    ///   shows all that needs fixing; no events are returned when any line is bad.
    public init(parsing text: String, author: String, options: AnatomyParsingOptions = .standard) throws(TagFileError) {
        var events: [TagEvent] = []
        var problems: [TagFileError.Problem] = []
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for (index, line) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            do {
                if let event = try Self.event(in: line, author: author, options: options) { events.append(event) }
            } catch {
                problems.append(TagFileError.Problem(line: index + 1, reason: error))
            }
        }
        guard problems.isEmpty else { throw TagFileError(problems: problems) }
        self.events = events
    }

    /// The file's text: one canonical line per event (`00:12.5 left L4-L5 facet-capsule`),
    /// which ``init(parsing:author:options:)`` reads back to the same tags and times
    /// (to the millisecond).
    public var text: String {
        events.map { "\(Self.text(seconds: $0.time)) \($0.tag)\n" }.joined()
    }

    /// The event a line holds, or `nil` for a blank or comment line.
    private static func event(
        in line: Substring, author: String, options: AnatomyParsingOptions
    ) throws(TagFileError.Reason) -> TagEvent? {
        let content = line.prefix { $0 != "#" }
        var words = content.split(whereSeparator: \.isWhitespace)
        guard let timeWord = words.first else { return nil }
        words.removeFirst()
        let time: Double
        do {
            time = try seconds(parsing: timeWord)
        } catch {
            throw .badTime(String(timeWord), error)
        }
        guard !words.isEmpty else { throw .missingSite(time: String(timeWord)) }
        let tag = try TagWords(words).tag(options: options)
        do {
            return try TagEvent(time: time, site: tag.site, structure: tag.structure, author: author, source: .tagFile)
        } catch {
            // A parsed time is finite and never negative, so TagEvent accepts it.
            preconditionFailure("a tag file time is always valid: \(error)")
        }
    }
}
