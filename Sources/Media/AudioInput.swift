/// Where spoken commands come from: a microphone through libavdevice (`alsa:default`,
/// `pulse:default`), a sound file, or a stream on a pipe (`-` for standard input).
public enum AudioInput: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    /// libavdevice's input `driver` (`alsa`, `pulse`) and its device name (`default`, `hw:1,0`).
    case device(driver: String, name: String)
    /// `-` or `pipe:N`, or a FIFO's path, carrying `format` (`wav`, `s16le`...).
    case pipe(String, format: String)

    /// The drivers a microphone can be named with.
    public static let drivers = ["alsa", "pulse"]

    /// Reads a setting or option: `alsa:default`, `pulse:default`, `-`, `pipe:3` or a file path.
    /// - Parameter pipeFormat: what a pipe carries (a WAV stream by default: it says its own rate).
    public init(parsing text: String, pipeFormat: String = "wav") throws(MediaError) {
        if let colon = text.firstIndex(of: ":"), Self.drivers.contains(String(text[..<colon])) {
            let name = String(text[text.index(after: colon)...])
            guard !name.isEmpty else {
                throw MediaError(.invalidArgument, "\"\(text)\" names no device: write \(text)default, or a card such as \(text)hw:1,0")
            }
            self = .device(driver: String(text[..<colon]), name: name)
        } else if text == "-" || text.hasPrefix("pipe:") {
            self = .pipe(text, format: pipeFormat)
        } else if text.isEmpty {
            throw MediaError(.invalidArgument, "no audio input named: give alsa:default (the station's microphone), a sound file, or - for standard input")
        } else {
            self = .file(text)
        }
    }

    public var path: String {
        switch self {
        case .file(let path), .pipe(let path, _): path
        case .device(let driver, let name): "\(driver):\(name)"
        }
    }

    public var description: String { path }
}
