import Foundation

/// Spoken commands and room talk for the voice tests and `tools/bench-voice`: phrases
/// synthesized by espeak-ng in several voices and speeds, room noise from sox, mixed at a
/// chosen signal-to-noise ratio. All as 16 kHz mono 16-bit samples.
public enum SpokenSamples {
    public static let sampleRate = 16_000

    /// An espeak-ng voice and its speed in words per minute.
    public struct Voice: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var speed: Int

        public init(_ name: String, speed: Int) {
            self.name = name
            self.speed = speed
        }

        public var description: String { "\(name)@\(speed)" }
    }

    /// Men's and women's voices, American and British, slow to brisk.
    public static let voices = [
        Voice("en-us", speed: 150), Voice("en-us+f2", speed: 135), Voice("en+m3", speed: 170),
        Voice("en-us+m7", speed: 160), Voice("en+f4", speed: 180), Voice("en-us+f3", speed: 145),
    ]

    /// A command as a tech says it, and what it must be read as: `needlelog voice
    /// recognize --json`'s command, site, side and structure.
    public struct Phrase: Sendable, Hashable {
        public var spoken: String
        public var command: String
        public var site: String?
        public var side: String?
        public var structure: String?

        public init(_ spoken: String, _ command: String = "tag", site: String? = nil, side: String? = nil, structure: String? = nil) {
            self.spoken = spoken
            self.command = command
            self.site = site
            self.side = side
            self.structure = structure
        }
    }

    /// The issue's phrases and more of the same kinds, written as espeak must read them
    /// ("L four", not "L4"; "S I joint", not "SI").
    public static let phrases: [Phrase] = [
        Phrase("L four L five left facet", site: "L4-L5", side: "left", structure: "facet-capsule"),
        Phrase("L four five", site: "L4-L5"),
        Phrase("L five S one right", site: "L5-S1", side: "right"),
        Phrase("C five six", site: "C5-C6"),
        Phrase("T seven rib right", site: "T7 rib", side: "right"),
        Phrase("left S I joint", site: "SI joint", side: "left", structure: "sacroiliac-joint"),
        Phrase("interspinous", structure: "interspinous-ligament"),
        Phrase("next level", "next-level"),
        Phrase("previous level", "previous-level"),
        Phrase("snap", "snap"),
        Phrase("undo", "undo"),
        Phrase("right C three four medial branch", site: "C3-C4", side: "right", structure: "medial-branch"),
        Phrase("L three L four supraspinous", site: "L3-L4", structure: "supraspinous-ligament"),
        Phrase("bilateral L two three facet", site: "L2-L3", side: "bilateral", structure: "facet-capsule"),
        Phrase("L five iliolumbar left", site: "L5", side: "left", structure: "iliolumbar-ligament"),
        Phrase("T nine ten left facet", site: "T9-T10", side: "left", structure: "facet-capsule"),
    ]

    /// Talk in a procedure room that is no command, to count false triggers.
    public static let roomTalk = [
        "Good morning, can you tell me your name and date of birth please.",
        "We are going to clean the skin now, it will feel cold for a moment.",
        "You will feel a small sting from the local anaesthetic, then some pressure.",
        "Try to keep still for me, you are doing really well.",
        "Could you pass me the twenty five gauge needle and another syringe of dextrose.",
        "The probe is on the lower back, I can see the facet joints quite clearly today.",
        "Last time the pain went down from seven to four after the second treatment.",
        "Take a slow deep breath in, and let it out slowly.",
        "Is the pain going down your leg or does it stay in the back.",
        "We will wait a few minutes and then you can sit up slowly.",
        "The next appointment is in three weeks, the front desk will call you.",
        "I am going to move the probe a little higher, towards your ribs.",
        "Please keep the ice on it for ten minutes tonight and avoid heavy lifting.",
        "The weather has been cold this week, did you drive in this morning.",
        "This is the fourth of six treatments, we are more than halfway there.",
        "Can someone open the window, it is getting warm in here.",
    ]

    /// The phrase spoken by a voice, 16 kHz mono, with espeak-ng's own silences trimmed.
    public static func speak(_ text: String, voice: Voice) throws -> [Int16] {
        let wav = try run("espeak-ng", ["-v", voice.name, "-s", String(voice.speed), "--stdout", text])
        let samples = try run("sox", ["-t", "wav", "-", "-r", String(sampleRate), "-c", "1", "-b", "16", "-e", "signed", "-t", "raw", "-"], input: wav)
        return trimmed(int16(samples))
    }

    /// Room noise (pink and brown, as ventilation and a scanner's fan), the same for the
    /// same seed.
    public static func noise(seconds: Double, seed: Int) throws -> [Int16] {
        let raw = try run("sox", ["-R", "-n", "-r", String(sampleRate), "-c", "1", "-b", "16", "-e", "signed", "-t", "raw", "-",
                                  "synth", String(format: "%.2f", seconds), "pinknoise", "mix", "brownnoise", "vol", "0.5"])
        let noise = int16(raw)
        // sox -R repeats one noise; the seed picks where in a longer run it starts.
        guard seed > 0, !noise.isEmpty else { return noise }
        let shift = (seed * 7919) % noise.count
        return Array(noise[shift...] + noise[..<shift])
    }

    /// `speech` over `noise` at `snr` dB (speech power over the phrases' own samples).
    /// - Parameter speechSpans: where speech is, to measure its power; the whole when empty.
    public static func mix(speech: [Int16], noise: [Int16], snr: Double, speechSpans: [Range<Int>] = []) -> [Int16] {
        func power(_ samples: ArraySlice<Int16>) -> Double {
            samples.isEmpty ? 0 : samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
        }
        let spans = speechSpans.isEmpty ? [speech.indices] : speechSpans
        let speechPower = spans.map { power(speech[$0]) * Double($0.count) }.reduce(0, +) / Double(max(1, spans.map(\.count).reduce(0, +)))
        let noisePower = power(noise[...])
        let gain = noisePower > 0 ? (speechPower / noisePower / pow(10, snr / 10)).squareRoot() : 0
        return speech.indices.map { i in
            let value = Double(speech[i]) + gain * Double(noise[i % max(1, noise.count)])
            return Int16(max(-32768, min(32767, value.rounded())))
        }
    }

    /// A WAV file's bytes for 16 kHz mono samples.
    public static func wav(_ samples: [Int16]) -> Data {
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + samples.count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(sampleRate)); append(UInt32(sampleRate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(samples.count * 2))
        for sample in samples { append(sample) }
        return data
    }

    /// Lines spoken one after another with pauses between, over room noise.
    public struct Script: Sendable {
        public struct Line: Sendable {
            public var text: String
            /// The command the line must be read as; nil for talk that is none.
            public var phrase: Phrase?
            public var voice: Voice
            /// Where the line's speech is, in samples.
            public var span: Range<Int>
        }

        public var samples: [Int16]
        public var lines: [Line]

        public var seconds: Double { Double(samples.count) / Double(SpokenSamples.sampleRate) }
    }

    /// Each line in the next voice of `voices` (round robin from `firstVoice`), `gap`
    /// seconds apart, over room noise at `snr` dB (nil: no noise).
    public static func script(_ lines: [(text: String, phrase: Phrase?)], voices: [Voice] = voices, firstVoice: Int = 0,
                              gap: Double = 1.5, snr: Double?, seed: Int = 1) throws -> Script {
        var samples = silence(gap)
        var made: [Script.Line] = []
        for (index, line) in lines.enumerated() {
            let voice = voices[(firstVoice + index) % voices.count]
            let speech = try speak(line.text, voice: voice)
            made.append(Script.Line(text: line.text, phrase: line.phrase, voice: voice, span: samples.count..<samples.count + speech.count))
            samples += speech + silence(gap)
        }
        if let snr {
            let noise = try noise(seconds: min(Double(samples.count) / Double(sampleRate), 120) + 1, seed: seed)
            samples = mix(speech: samples, noise: noise, snr: snr, speechSpans: made.map(\.span))
        }
        return Script(samples: samples, lines: made)
    }

    /// Silence of `seconds`.
    public static func silence(_ seconds: Double) -> [Int16] {
        [Int16](repeating: 0, count: Int(seconds * Double(sampleRate)))
    }

    private static func trimmed(_ samples: [Int16]) -> [Int16] {
        let loud: (Int16) -> Bool = { abs(Int($0)) > 300 }
        guard let first = samples.firstIndex(where: loud), let last = samples.lastIndex(where: loud) else { return [] }
        return Array(samples[first...last])
    }

    private static func int16(_ data: Data) -> [Int16] {
        data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)).map { Int16(littleEndian: $0) } }
    }

    /// Runs a tool, giving it `input`, and returns what it wrote.
    private static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let feed = input.map { _ in Pipe() }
        if let feed { process.standardInput = feed }
        do {
            try process.run()
        } catch {
            throw SampleError("cannot run \(tool) (tools/setup installs espeak-ng and sox): \(error)")
        }
        if let feed, let input {
            // Written from another thread: a tool may fill its output before reading all its input.
            let writer = Thread {
                feed.fileHandleForWriting.write(input)
                try? feed.fileHandleForWriting.close()
            }
            writer.start()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw SampleError("\(tool) failed (\(process.terminationStatus)): \(message.prefix(300))")
        }
        return data
    }
}

/// Why a sample could not be made.
public struct SampleError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
