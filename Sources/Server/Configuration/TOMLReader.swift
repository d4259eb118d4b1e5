import Foundation

/// Reads the part of TOML a configuration file needs: `# comments`, `[table]` headers,
/// and `key = value` with basic or literal strings, integers, floats, booleans and
/// arrays of those. Keys come back flattened with their table: `capture.device`.
///
/// Written here rather than taken from a package: the one TOML package on this
/// machine's list cannot be resolved offline, and this subset is small.
public enum TOMLReader {
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case array([Value])
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [String: Value] {
        var values: [String: Value] = [:]
        var table = ""
        // Lines end with LF or CRLF. Swift reads "\r\n" as one Character, which is not "\n",
        // so splitting on "\n" alone would read a CRLF file (a Windows editor's) as one line.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            var line = Substring(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            line = line.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.first == "#" { continue }
            if line.first == "[" {
                guard let close = line.firstIndex(of: "]") else { throw ParseError(line: number, message: "a table header needs its ]: [capture]") }
                let name = line[line.index(after: line.startIndex)..<close].trimmingSpaces()
                guard !name.isEmpty, name.allSatisfy(isBareKeyCharacter) else {
                    throw ParseError(line: number, message: "table name \"\(name)\" should be letters, digits, - or _")
                }
                let after = line[line.index(after: close)...].trimmingSpaces()
                guard after.isEmpty || after.first == "#" else { throw ParseError(line: number, message: "unexpected text after the table header") }
                table = String(name)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: number, message: "expected key = value, e.g. port = 8080")
            }
            let key = line[..<equals].trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy(isBareKeyCharacter) else {
                throw ParseError(line: number, message: "key \"\(key)\" should be letters, digits, - or _")
            }
            var rest = line[line.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
            let value = try parseValue(&rest, line: number)
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard rest.isEmpty || rest.first == "#" else {
                throw ParseError(line: number, message: "unexpected text after the value: \(rest.prefix(20))")
            }
            let full = table.isEmpty ? String(key) : "\(table).\(key)"
            guard values[full] == nil else { throw ParseError(line: number, message: "\(full) is set twice") }
            values[full] = value
        }
        return values
    }

    private static func isBareKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    private static func parseValue(_ text: inout Substring, line: Int) throws(ParseError) -> Value {
        guard let first = text.first else { throw ParseError(line: line, message: "a key needs a value after =") }
        switch first {
        case "\"":
            text = text.dropFirst()
            var out = ""
            while let c = text.first {
                text = text.dropFirst()
                if c == "\"" { return .string(out) }
                if c == "\\" {
                    guard let escaped = text.first else { break }
                    text = text.dropFirst()
                    switch escaped {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: throw ParseError(line: line, message: "unknown escape \\\(escaped) in a string (use \\\\ for a backslash)")
                    }
                } else {
                    out.append(c)
                }
            }
            throw ParseError(line: line, message: "a string is missing its closing \"")
        case "'":
            text = text.dropFirst()
            guard let close = text.firstIndex(of: "'") else { throw ParseError(line: line, message: "a string is missing its closing '") }
            defer { text = text[text.index(after: close)...] }
            return .string(String(text[..<close]))
        case "[":
            text = text.dropFirst()
            var items: [Value] = []
            while true {
                text = text.drop(while: { $0 == " " || $0 == "\t" })
                if text.first == "]" {
                    text = text.dropFirst()
                    return .array(items)
                }
                items.append(try parseValue(&text, line: line))
                text = text.drop(while: { $0 == " " || $0 == "\t" })
                if text.first == "," { text = text.dropFirst() } else if text.first != "]" {
                    throw ParseError(line: line, message: "an array needs , between values and ] at its end (on one line)")
                }
            }
        default:
            let token = text.prefix(while: { !($0 == " " || $0 == "\t" || $0 == "#" || $0 == "," || $0 == "]") })
            text = text.dropFirst(token.count)
            if token == "true" { return .boolean(true) }
            if token == "false" { return .boolean(false) }
            let digits = token.replacingOccurrences(of: "_", with: "")
            if let integer = Int(digits) { return .integer(integer) }
            if let float = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .float(float) }
            throw ParseError(line: line, message: "\(token) is not a value: strings need quotes (\"/dev/video0\"); numbers and true/false do not")
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
