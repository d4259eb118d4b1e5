extension SpokenSamples {
    /// A command as the recogniser reported it (the fields of `needlelog voice recognize --json`).
    public struct Heard: Sendable, Equatable {
        public var at: Double
        public var decided: Double
        public var command: String
        public var site: String?
        public var side: String?
        public var structure: String?

        public init(at: Double, decided: Double, command: String, site: String?, side: String?, structure: String?) {
            self.at = at
            self.decided = decided
            self.command = command
            self.site = site
            self.side = side
            self.structure = structure
        }

        func says(_ phrase: Phrase) -> Bool {
            command == phrase.command && site == phrase.site && side == phrase.side && structure == phrase.structure
        }
    }

    /// How a script's commands were heard.
    public struct Score: Sendable {
        /// Command lines read right: their first command heard is theirs.
        public var correct = 0
        public var commandLines = 0
        /// Lines read as another command, or not heard at all.
        public var wrong: [(line: Script.Line, heard: Heard?)] = []
        /// Commands heard where no command was said (talk, or a second command for one line).
        public var falseTriggers: [Heard] = []
        /// Seconds from the end of each correct line's speech to the command decided.
        public var delays: [Double] = []

        public var accuracy: Double { commandLines == 0 ? 0 : Double(correct) / Double(commandLines) }
    }

    /// Commands heard are put to the line their speech began in (from 0.6 s before it to
    /// 0.3 s after its end).
    public static func score(_ script: Script, heard: [Heard]) -> Score {
        var score = Score()
        var used = Set<Int>()
        let rate = Double(sampleRate)
        for line in script.lines {
            let from = Double(line.span.lowerBound) / rate - 0.6, to = Double(line.span.upperBound) / rate + 0.3
            let mine = heard.indices.filter { !used.contains($0) && heard[$0].at >= from && heard[$0].at <= to }
            guard let phrase = line.phrase else {
                for index in mine { score.falseTriggers.append(heard[index]); used.insert(index) }
                continue
            }
            score.commandLines += 1
            if let first = mine.first, heard[first].says(phrase) {
                score.correct += 1
                score.delays.append(heard[first].decided - Double(line.span.upperBound) / rate)
                for index in mine.dropFirst() { score.falseTriggers.append(heard[index]) }
            } else {
                score.wrong.append((line, mine.first.map { heard[$0] }))
                for index in mine.dropFirst() { score.falseTriggers.append(heard[index]) }
            }
            used.formUnion(mine)
        }
        score.falseTriggers += heard.indices.filter { !used.contains($0) }.map { heard[$0] }
        return score
    }
}
