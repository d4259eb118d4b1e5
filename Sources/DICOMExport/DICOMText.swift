import Foundation
import Records

/// Turns NeedleLog's values into DICOM text values: dates (DA), times (TM), date-times
/// (DT), and free text made safe for a VR.
enum DICOMText {
    /// `YYYYMMDD` of `date` in `timeZone`.
    static func date(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, "yyyyMMdd", timeZone)
    }

    /// `HHMMSS.FFFFFF` cut to milliseconds, which is what the archive keeps.
    static func time(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, "HHmmss.SSS", timeZone)
    }

    /// `YYYYMMDDHHMMSS.FFF`.
    static func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        format(date, "yyyyMMddHHmmss.SSS", timeZone)
    }

    /// `+HHMM` or `-HHMM` for Timezone Offset From UTC (0008,0201).
    static func utcOffset(_ date: Date, in timeZone: TimeZone) -> String {
        let seconds = timeZone.secondsFromGMT(for: date)
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + String(format: "%02d%02d", minutes / 60, minutes % 60)
    }

    /// Free text fitted to one value of `vr`: the value separator (backslash) and
    /// control characters replaced, cut to the VR's length limit.
    static func value(_ text: String, _ vr: ValueRepresentation) -> String {
        var cleaned = String(text.unicodeScalars.map { scalar -> Character in
            scalar == "\\" ? "/" : (scalar.properties.generalCategory == .control ? " " : Character(scalar))
        })
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        if let limit = vr.maximumLength, cleaned.count > limit { cleaned = String(cleaned.prefix(limit)) }
        return cleaned
    }

    /// A user name (`dr.lee`) as a person name: the whole name as the family name
    /// component, since NeedleLog does not know which part is which. The caret marks it
    /// as the component form; without one, readers take it for ACR-NEMA's retired
    /// free-text form (dciodvfy: "Retired Person Name form").
    static func personName(_ text: String) -> String {
        let name = value(text.replacingOccurrences(of: "^", with: " ").replacingOccurrences(of: "=", with: " "), .PN)
        return name.isEmpty ? name : String(name.prefix(63)) + "^"
    }

    /// A member of staff as a person name, `Family^Given` (credentials as the suffix).
    /// PersonName refuses the delimiters, so only the length is kept in bounds here.
    static func personName(_ person: PersonName) -> String {
        value(person.dicomName, .PN)
    }

    /// A decimal string (DS) of at most 16 characters.
    static func decimal(_ value: Double) -> String {
        for digits in stride(from: 10, through: 1, by: -1) {
            let text = String(format: "%.\(digits)g", value)
            if text.count <= 16 { return text }
        }
        return String(format: "%.0f", value)
    }

    private static func format(_ date: Date, _ pattern: String, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
