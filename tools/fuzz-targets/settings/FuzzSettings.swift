// libFuzzer target `settings` (tools/fuzz settings): the input as the daemon's TOML
// settings file, read by TOMLReader and then DaemonSettings (compiled from
// Sources/Server/Configuration; DaemonSettings only while it needs nothing but Foundation).
//
// Besides "never traps": a mistake is reported with a line number inside the file,
// and a value that parses prints back (as TOML) to the same value.
import Foundation
import Server

func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.unicodeScalars.filter { $0 == "\n" }.count + 1
    let result: Result<[String: TOMLReader.Value], TOMLReader.ParseError>
    do {
        let values = try TOMLReader.parse(text)
        result = .success(values)
        for (key, value) in values {
            promise(!key.isEmpty && !key.hasPrefix(".") && !key.hasSuffix("."), "key \(key.debugDescription)")
            guard isFinite(value) else { continue }
            let line = "k = \(toml(value))"
            promise((try? TOMLReader.parse(line))?["k"] == value, "\(value) written as \(line.debugDescription) does not read back")
        }
    } catch {
        result = .failure(error)
        promise((1...lines).contains(error.line), "error on line \(error.line) of a \(lines)-line file: \(error)")
        promise(!error.message.isEmpty, "an error without a message")
    }
    // TOML ends lines with LF or CRLF: the same file saved by a Windows editor reads the same.
    if !text.unicodeScalars.contains("\r") {
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        switch (result, Result { () throws(TOMLReader.ParseError) in try TOMLReader.parse(crlf) }) {
        case (.success(let lf), .success(let other)):
            promise(lf == other, "with CRLF line ends the file reads differently")
        case (.failure(let lf), .failure(let other)):
            promise(lf.line == other.line, "with CRLF line ends the error moves from line \(lf.line) to \(other.line)")
        case (.success, .failure(let other)):
            promise(false, "with CRLF line ends the file is refused: \(other)")
        case (.failure(let lf), .success):
            promise(false, "with CRLF line ends the file is accepted, with LF refused: \(lf)")
        }
    }
    // Built with -D FUZZ_DAEMON_SETTINGS when DaemonSettings.swift compiles on its own (tools/fuzz).
    #if FUZZ_DAEMON_SETTINGS
    do {
        let settings = try DaemonSettings(toml: text, path: "fuzz.toml")
        if let port = settings.port { promise((1...65535).contains(port), "port \(port) accepted") }
        if let idle = settings.idleMinutes { promise((1...1440).contains(idle), "idle_minutes \(idle) accepted") }
    } catch {
        _ = "\(error)"
    }
    #endif
    return 0
}

func isFinite(_ value: TOMLReader.Value) -> Bool {
    switch value {
    case .float(let number): number.isFinite
    case .array(let items): items.allSatisfy(isFinite)
    default: true
    }
}

/// A value as TOML, the way a person would write it.
func toml(_ value: TOMLReader.Value) -> String {
    switch value {
    case .string(let text):
        // By scalar: "\r" then an escaped "\n" make one Character, "\r\n", in Swift.
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    case .integer(let number): return String(number)
    case .float(let number): return "\(number)"
    case .boolean(let flag): return flag ? "true" : "false"
    case .array(let items): return "[" + items.map(toml).joined(separator: ", ") + "]"
    }
}
