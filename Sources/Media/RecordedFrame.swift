/// One picture of a recording by its time, found by seeking to the keyframe before it and
/// decoding forward: what a detector compares a still with (the needle moves along its
/// axis between the frames before a still; tissue does not).
public enum RecordedFrame {
    /// The frame shown at `seconds` (the last one not after it), as `format`; nil when the
    /// recording has no frame that early.
    /// - Throws: `MediaError` when the file cannot be opened, sought or decoded.
    public static func image(in path: String, at seconds: Double, format: Image.Format = .gray8) throws(MediaError) -> Image? {
        let source = try MediaSource(.file(path))
        try source.seek(to: seconds)
        // One thread: one picture wanted, and frame threads would each hold pictures of their own.
        let decoder = try VideoDecoder(for: source, threads: 1)
        var shown: Frame?
        var passed = false
        // A GOP is a few seconds at most; a recording cut short ends the loop as well.
        while !passed, let packet = try source.nextPacket() {
            for frame in try decoder.decode(packet) {
                if let time = frame.time, time > seconds + 1e-6 { passed = true; break }
                shown = frame
            }
        }
        if !passed {
            for frame in try decoder.flush() where (frame.time ?? 0) <= seconds + 1e-6 { shown = frame }
        }
        guard let shown else { return nil }
        return try PixelConverter().image(from: shown, format: format)
    }
}
