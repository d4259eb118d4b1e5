import Foundation
import Testing
@testable import Server

@Suite("the daemon's TOML settings")
struct DaemonSettingsTests {
    @Test("a full file reads into settings")
    func full() throws {
        let settings = try DaemonSettings(toml: """
            # the recorder in room 2
            archive = "/var/lib/needlelog"   # where everything goes

            [capture]
            device = "/dev/video0"
            input_format = 'mjpeg'
            size = "1920x1080"
            frame_rate = 59.94

            [server]
            host = "127.0.0.1"
            port = 8_081
            behind_tls_proxy = false
            idle_minutes = 10

            [keys]
            snap = "PageDown"

            [dicom]
            ae_title = "US-ROOM2"
            worklist = "RIS@ris.clinic.local:104"
            mpps = "RISPPS@ris.clinic.local:105"
            """)
        #expect(settings.archive == "/var/lib/needlelog" && settings.device == "/dev/video0" && settings.inputFormat == "mjpeg")
        #expect(settings.size == "1920x1080" && settings.frameRate == 59.94 && settings.port == 8081 && settings.idleMinutes == 10)
        #expect(settings.behindTLSProxy == false && settings.keys.snap == "PageDown" && settings.keys.next == "F6")
        #expect(settings.dicomTitle == "US-ROOM2" && settings.worklist == "RIS@ris.clinic.local:104" && settings.mpps == "RISPPS@ris.clinic.local:105")
    }

    @Test("strings keep escapes; arrays and integers read")
    func values() throws {
        let values = try TOMLReader.parse(#"a = "x\"y\\z"\#nb = [1, 2, "three"]\#nc = -4\#n[t]\#nd = true"#)
        #expect(values["a"] == .string(#"x"y\z"#))
        #expect(values["b"] == .array([.integer(1), .integer(2), .string("three")]))
        #expect(values["c"] == .integer(-4) && values["t.d"] == .boolean(true))
    }

    @Test("mistakes name the line or the setting and say what would be right", arguments: [
        ("port = 8080", "unknown setting port; known settings are"),
        ("[server]\nport = \"8080\"", "server.port should be a integer"),
        ("[server]\nport = 80800", "server.port 80800 should be 1-65535"),
        ("[capture]\ndevice = /dev/video0", "line 2: /dev/video0 is not a value: strings need quotes"),
        ("[capture\n", "line 1: a table header needs its ]"),
        ("archive = \"a\"\narchive = \"b\"", "line 2: archive is set twice"),
        ("[capture]\ndevice = \"/dev/video0\"\nfile = \"x.mp4\"", "give one of capture.device, capture.file or capture.pipe"),
        ("archive = \"unterminated", "line 1: a string is missing its closing \""),
        ("[dicom]\nmpps = \"ris.clinic.local\"", "dicom.mpps \"ris.clinic.local\" should be AE@HOST:PORT, e.g. \"RIS@ris.clinic.local:104\""),
    ])
    func mistakes(text: String, message: String) {
        #expect {
            _ = try DaemonSettings(toml: text, path: "daemon.toml")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".hasPrefix("daemon.toml")
        }
    }
}
