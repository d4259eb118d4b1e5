internal import CFFmpeg
import Foundation

/// One-time process set-up for FFmpeg, and the helpers that turn its return codes
/// into `MediaError`s.
enum FFmpegRuntime {
    /// Routes FFmpeg's log away from stderr, keeping error lines so failures can quote
    /// them. Safe to call from any thread.
    static func ensureInitialized() {
        _ = initialized
    }

    private static let initialized: Bool = {
        nl_install_log(nil, AV_LOG_ERROR)
        return true
    }()

    /// Loads libavdevice and registers its inputs (v4l2), once: only a capture device needs
    /// them, and linked they would bring libavfilter and its many libraries into every process.
    /// - Throws: `.unsupported` when libavdevice cannot be loaded, with the loader's reason.
    static func ensureDevices(path: String) throws(MediaError) {
        ensureInitialized()
        if let failure = nl_register_devices() {
            throw MediaError(.unsupported, "capture devices need FFmpeg's libavdevice, which could not be loaded: \(String(cString: failure)) (install libavdevice59)",
                             path: path)
        }
    }

    /// `av_strerror`'s text for a code.
    static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 {
            return "FFmpeg error \(code)"
        }
        return String(cBuffer: buffer)
    }

    /// The error line FFmpeg last logged on this thread (empty when none).
    static func lastLoggedError() -> String {
        String(cString: nl_last_error()).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func clearLoggedError() {
        nl_clear_last_error()
    }

    /// Maps a negative FFmpeg return code onto the kinds callers act on.
    static func kind(for code: Int32) -> MediaError.Kind {
        switch code {
        case nl_averror(ENOENT): .notFound
        case nl_averror(EACCES), nl_averror(EPERM): .permissionDenied
        case nl_averror(EISDIR): .isDirectory
        case nl_averror(ENOMEM): .outOfMemory
        case nl_averror(ENOSPC), nl_averror(EDQUOT): .diskFull
        case nl_averror(EBUSY): .deviceBusy
        case nl_averror(EIO): .io
        case nl_averror_invaliddata(): .corruptData
        default: .ffmpeg
        }
    }

    /// Builds the error for a failed FFmpeg call: `doing` says what was being
    /// attempted, in a clause that reads after "could not".
    static func error(_ code: Int32, doing: String, path: String?, kind: MediaError.Kind? = nil) -> MediaError {
        let logged = lastLoggedError()
        let detail = logged.isEmpty ? describe(code) : "\(describe(code)): \(logged)"
        return MediaError(kind ?? self.kind(for: code), "could not \(doing)", path: path, code: code, detail: detail)
    }

    /// Throws for a negative return code, passes non-negative ones through.
    @discardableResult
    static func check(_ code: Int32, doing: String, path: String?) throws(MediaError) -> Int32 {
        if code < 0 { throw error(code, doing: doing, path: path) }
        return code
    }
}

/// FFmpeg's rationals as plain values, for time arithmetic in seconds.
extension AVRational {
    var doubleValue: Double { den == 0 ? 0 : Double(num) / Double(den) }
}

extension String {
    /// Text from a fixed C buffer filled by a C function, up to its first NUL.
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
