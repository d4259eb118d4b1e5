import Anatomy

/// What a tech can say at the table, generated from Anatomy's catalogue: levels and
/// segments spoken as letters and numbers (`l four l five`, `l four five`, `l five s one`),
/// ribs (`t seven rib`), every target structure by each of its names the recogniser can
/// pronounce, sides, and the commands. A structure or level added to Anatomy is
/// speakable with no change here, as long as its words are in the dictionary.
public struct SpokenVocabulary: Sendable {
    /// One meaning a run of spoken words carries.
    enum Token: Hashable, Sendable {
        case level(VertebralLevel)
        case segment(VertebralSpan)
        case rib
        case structure(TargetStructure.ID)
        case side(Laterality)
        case action(VoiceCommand)
    }

    /// Word runs and what each means; the longest run is read first.
    let phrases: [[String]: Token]
    let longestPhrase: Int
    /// The wake word's words, when one is asked for.
    public let wakeWords: [String]?

    /// The levels a voice can name: the ordinary spine from C1 to S1 (below S1 nothing is
    /// injected by level, and the transitional T13 and L6 are typed when a patient has them).
    static let spokenLevels = VertebralLevel.ordinaryLevels.filter { $0 <= .s1 }

    static let numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]

    /// - Parameter wakeWord: words that must come before a command (`okay needle`), or nil.
    /// - Throws: ``VoiceError`` `.invalid` for a wake word the dictionary cannot pronounce.
    public init(dictionary: PronouncingDictionary, wakeWord: String? = nil) throws(VoiceError) {
        var phrases: [[String]: Token] = [:]
        for level in Self.spokenLevels { phrases[Self.words(level)] = .level(level) }
        for (upper, lower) in zip(Self.spokenLevels, Self.spokenLevels.dropFirst()) {
            guard let span = VertebralSpan(upper: upper, lower: lower) else { continue }
            phrases[Self.words(upper) + Self.words(lower)] = .segment(span)
            // "l four five": the second letter is dropped within a region.
            if upper.region == lower.region { phrases[Self.words(upper) + [Self.numbers[lower.number - 1]]] = .segment(span) }
        }
        for side in [Laterality.left, .right, .bilateral, .midline] { phrases[[side.rawValue]] = .side(side) }
        phrases[["next", "level"]] = .action(.nextLevel)
        phrases[["previous", "level"]] = .action(.previousLevel)
        phrases[["snap"]] = .action(.snap)
        phrases[["undo"]] = .action(.undo)
        phrases[["rib"]] = .rib
        // A name two structures share says neither; a word the commands use stays theirs.
        var ambiguous = Set<[String]>()
        for structure in TargetStructure.catalogue {
            for name in Self.names(of: structure, dictionary: dictionary) {
                switch phrases[name] {
                case nil: phrases[name] = .structure(structure.id)
                case .structure: ambiguous.insert(name)
                default: break
                }
            }
        }
        for name in ambiguous { phrases[name] = nil }
        self.phrases = phrases
        longestPhrase = phrases.keys.map(\.count).max() ?? 1
        if let wakeWord {
            let words = Self.split(wakeWord)
            guard !words.isEmpty, words.allSatisfy(dictionary.canSay) else {
                throw VoiceError(.invalid, "the wake word \"\(wakeWord)\" has words the recogniser cannot pronounce: choose common English words, e.g. \"okay needle\"")
            }
            wakeWords = words
        } else {
            wakeWords = nil
        }
    }

    /// Every word the grammar uses.
    public var words: Set<String> {
        Set(phrases.keys.joined()).union(wakeWords ?? [])
    }

    /// The names of a structure as spoken: its display name and synonyms in lower case,
    /// hyphens as spaces, acronyms within a name spelled out (`SI joint`: `s i joint`),
    /// without lone acronyms (`ISL`: nobody says it), names longer than three words, or
    /// words the recogniser cannot pronounce.
    static func names(of structure: TargetStructure, dictionary: PronouncingDictionary) -> [[String]] {
        var names: [[String]] = []
        for name in [structure.displayName] + structure.synonyms {
            let raw = name.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" }).map(String.init)
            guard raw.count > 1 || !isAcronym(raw.first ?? "") else { continue }
            let words = raw.flatMap { isAcronym($0) ? $0.lowercased().map(String.init) : [$0.lowercased()] }
            guard (1...3).contains(words.count), words.allSatisfy(dictionary.canSay), !names.contains(words) else { continue }
            names.append(words)
        }
        return names
    }

    private static func isAcronym(_ word: String) -> Bool {
        word.count <= 4 && word.count >= 2 && word.allSatisfy(\.isUppercase)
    }

    static func words(_ level: VertebralLevel) -> [String] {
        let letter = String(level.description.prefix(1)).lowercased()
        return [letter, numbers[level.number - 1]]
    }

    /// Words in lower case, acronyms spelled out as the grammar has them (`SI`: `s i`).
    static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter }).flatMap { word in
            isAcronym(String(word)) ? word.lowercased().map(String.init) : [word.lowercased()]
        }
    }

    // MARK: - Reading what was heard

    /// The words heard as tokens, longest phrase first; nil when a word means nothing here.
    func tokens(_ words: [String]) -> [Token]? {
        var tokens: [Token] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(longestPhrase, words.count - index), through: 1, by: -1) {
                if let token = phrases[Array(words[index..<index + length])] {
                    tokens.append(token)
                    index += length
                    matched = true
                    break
                }
            }
            if !matched { return nil }
        }
        return tokens
    }

    /// The command a phrase says: `l four l five left facet`, `left s i joint`,
    /// `t seven rib right`, `next level`. Nil for a phrase that says no single command
    /// (two levels, a side alone, a structure twice, a rib without its level).
    public func command(_ heard: String) -> VoiceCommand? {
        var words = Self.split(heard)
        // Whether a wake word was said is the listener's to judge (it may come in the
        // utterance before); here it is only taken off.
        if let wakeWords, words.starts(with: wakeWords) { words.removeFirst(wakeWords.count) }
        guard let tokens = tokens(words), !tokens.isEmpty else { return nil }
        if tokens.count == 1, case .action(let action) = tokens[0] { return action }
        var tag = VoiceTag()
        var previous: Token?
        for token in tokens {
            switch token {
            case .level(let level):
                guard tag.location == nil else { return nil }
                tag.location = .vertebrae(VertebralSpan(level))
            case .segment(let span):
                guard tag.location == nil else { return nil }
                tag.location = .vertebrae(span)
            case .rib:
                guard case .level(let level)? = previous, level.region == .thoracic, let rib = Rib(level.number) else { return nil }
                tag.location = .rib(rib)
            case .structure(let id):
                guard tag.structure == nil else { return nil }
                tag.structure = id
            case .side(let side):
                guard tag.side == nil else { return nil }
                tag.side = side
            case .action:
                return nil
            }
            previous = token
        }
        // A structure that is also a place (the SI joint) is where the tag is when no level is said.
        if tag.location == nil, let structure = tag.structure { tag.location = Self.place(of: structure) }
        guard tag.location != nil || tag.structure != nil else { return nil }
        return .tag(tag)
    }

    /// The place a structure names by itself (`Sacroiliac joint`: the SI joint), if any.
    static func place(of structure: TargetStructure.ID) -> AnatomicSite.Location? {
        guard let name = TargetStructure(id: structure)?.displayName, let site = try? AnatomicSite(parsing: name) else { return nil }
        if case .vertebrae = site.location { return nil }
        return site.location
    }

    // MARK: - The grammar

    /// The grammar in JSGF for PocketSphinx: a command (after the wake word, which may
    /// also come alone) is one of the actions, or a tag: a place (level, segment, rib) and a
    /// structure in either order, the side before, between or after. A structure goes only
    /// with the levels of its regions (Anatomy's catalogue says which): "C" and "T" sound
    /// alike to the recogniser, and "t seven rib" cannot then be heard as "c seven rib".
    public var jsgf: String {
        func alternatives(_ keys: [[String]]) -> String {
            keys.map { $0.joined(separator: " ") }.sorted().joined(separator: " | ")
        }
        var actions: [[String]] = [], allStructures: [[String]] = []
        var places: [SpinalRegion: [[String]]] = [:], structures: [SpinalRegion: [[String]]] = [:]
        for (words, token) in phrases {
            switch token {
            case .level(let level):
                places[level.region, default: []].append(words)
            case .segment(let span):
                places[span.upper.region, default: []].append(words)
                if span.lower.region != span.upper.region { places[span.lower.region, default: []].append(words) }
            case .structure(let id):
                allStructures.append(words)
                for region in TargetStructure(id: id)?.regions ?? [] {
                    structures[region, default: []].append(words)
                }
            case .action:
                actions.append(words)
            case .side, .rib:
                break
            }
        }
        let regions = SpinalRegion.allCases.filter { places[$0] != nil }
        var rules: [String] = [], what: [String] = [], between: [String] = []
        for region in regions {
            let name = region.description
            rules.append("<places_\(name)> = \(alternatives(places[region] ?? []));")
            if let named = structures[region] {
                rules.append("<structures_\(name)> = \(alternatives(named));")
                what.append("<places_\(name)> [<structures_\(name)>] | <structures_\(name)> <places_\(name)>")
                between.append("<places_\(name)> <side> <structures_\(name)>")
            } else {
                what.append("<places_\(name)>")
            }
        }
        let thoracic = Self.spokenLevels.filter { $0.region == .thoracic }.map { Self.words($0) }
        let ribStructures = structures[.thoracic] != nil ? " [<structures_thoracic>]" : ""
        let wake = wakeWords.map { $0.joined(separator: " ") }
        let command = wake.map { "[\($0)] (<tag> | <action>) | \($0)" } ?? "<tag> | <action>"
        return """
            #JSGF V1.0;
            grammar needlelog;
            public <command> = \(command);
            <action> = \(alternatives(actions));
            <tag> = <side> <what> | <what> [<side>] | \((between + ["<rib> <side>\(ribStructures.isEmpty ? "" : " <structures_thoracic>")"]).joined(separator: " | "));
            <what> = \((what + ["<rib>\(ribStructures)", "<structure>"]).joined(separator: " | "));
            <rib> = (\(alternatives(thoracic))) rib;
            <structure> = \(alternatives(allStructures));
            <side> = left | right | bilateral | midline;
            \(rules.joined(separator: "\n"))

            """
    }
}
