import Foundation
import Testing
@testable import Server

/// Inputs `tools/fuzz settings` found, with what they must give now.
@Suite("fuzzing finds: the settings file")
struct FuzzRegressionTests {
    /// The fuzzer's input (a committed seed) was `[server]\nport = 8080\nport = 8081\n[server]\n`:
    /// with CRLF line ends, as a Windows editor saves it, the reader split lines on "\n"
    /// only, and Swift reads "\r\n" as one Character, so the whole file was one line. A
    /// good file was refused ("unexpected text after the value") and every error said line 1.
    @Test("a settings file with CRLF line ends reads like the same file with LF")
    func crlfLineEnds() throws {
        let lf = "archive = \"/var/lib/needlelog\"\n[capture]\ndevice = \"/dev/video0\"  # the card\nframe_rate = 60\n"
            + "\n[server]\nport = 8080\nbehind_tls_proxy = false\n[keys]\nsnap = 'F9'\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try TOMLReader.parse(crlf) == TOMLReader.parse(lf))
        let settings = try DaemonSettings(toml: crlf)
        #expect(settings == (try DaemonSettings(toml: lf)))
        #expect(settings.device == "/dev/video0" && settings.port == 8080 && settings.keys.snap == "F9")
    }

    @Test("a mistake in a CRLF file names its own line")
    func crlfErrorLine() {
        let found = "[server]\r\nport = 8080\r\nport = 8081\r\n[server]\r\n"
        #expect(throws: TOMLReader.ParseError(line: 3, message: "server.port is set twice")) {
            try TOMLReader.parse(found)
        }
    }
}
