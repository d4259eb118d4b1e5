import Anatomy
import Testing
@testable import Voice

@Suite("what a tech can say: the vocabulary from Anatomy's catalogue, and phrases read as commands")
struct SpokenVocabularyTests {
    static let dictionary = try! PronouncingDictionary()
    static let vocabulary = try! SpokenVocabulary(dictionary: dictionary)

    /// The tag a phrase makes with nothing tagged before, as the site parser writes it.
    func tag(_ phrase: String, over current: (site: AnatomicSite, structure: TargetStructure.ID?)? = nil) -> String? {
        guard case .tag(let tag)? = Self.vocabulary.command(phrase), let made = tag.applied(to: current) else { return nil }
        return made.site.description + (made.structure.map { " " + $0.rawValue } ?? "")
    }

    @Test("the issue's phrases", arguments: [
        ("L four L five left facet", "left L4-L5 facet-capsule"),
        ("l four five", "L4-L5"),
        ("L five S one right", "right L5-S1"),
        ("C five six", "C5-C6"),
        ("T seven rib right", "right T7 rib"),
        ("left SI joint", "left SI joint sacroiliac-joint"),
        ("left facet L four L five", "left L4-L5 facet-capsule"),
        ("L four L five facet left", "left L4-L5 facet-capsule"),
        ("c seven t one", "C7-T1"),
        ("t twelve l one bilateral", "bilateral T12-L1"),
    ])
    func phrases(_ phrase: String, _ expected: String) {
        #expect(tag(phrase) == expected)
    }

    @Test("a structure or side alone changes only itself; a new level keeps the side and structure")
    func partialTags() throws {
        let current = (site: try AnatomicSite(parsing: "left L4-L5"), structure: TargetStructure.ID?.some(TargetStructure.ID(rawValue: "facet-capsule")))
        #expect(tag("interspinous", over: current) == "left L4-L5 interspinous-ligament")
        #expect(tag("right", over: current) == nil, "a side alone is no command")
        #expect(tag("L five S one", over: current) == "left L5-S1 facet-capsule")
        #expect(tag("interspinous") == nil, "a structure with no level tagged before has no place")
    }

    @Test("commands, and phrases that say no single command")
    func commands() {
        #expect(Self.vocabulary.command("next level") == .nextLevel)
        #expect(Self.vocabulary.command("previous level") == .previousLevel)
        #expect(Self.vocabulary.command("snap") == .snap)
        #expect(Self.vocabulary.command("undo") == .undo)
        #expect(Self.vocabulary.command("l four l five c five six") == nil, "two places")
        #expect(Self.vocabulary.command("left right l four") == nil, "two sides")
        #expect(Self.vocabulary.command("l four rib") == nil, "a rib is thoracic")
        #expect(Self.vocabulary.command("snap undo") == nil)
        #expect(Self.vocabulary.command("the patient is comfortable") == nil)
        #expect(Self.vocabulary.command("") == nil)
    }

    @Test("every structure in the catalogue can be said by at least one name")
    func everyStructureSpeakable() {
        for structure in TargetStructure.catalogue {
            let names = SpokenVocabulary.names(of: structure, dictionary: Self.dictionary)
            #expect(!names.isEmpty, "\(structure.id) has no name the recogniser can pronounce: add its words to PronouncingDictionary.anatomy")
            for name in names {
                guard case .tag(let tag)? = Self.vocabulary.command("l four " + name.joined(separator: " ")) else {
                    // A name two structures share is left out of the grammar on purpose.
                    continue
                }
                #expect(tag.structure == structure.id, "\(name) reads as \(String(describing: tag.structure))")
            }
        }
    }

    @Test("every level from C1 to S1 and every segment between them, in both spoken forms")
    func everyLevel() throws {
        for level in SpokenVocabulary.spokenLevels {
            #expect(tag(SpokenVocabulary.words(level).joined(separator: " ")) == level.description)
        }
        for (upper, lower) in zip(SpokenVocabulary.spokenLevels, SpokenVocabulary.spokenLevels.dropFirst()) {
            let full = (SpokenVocabulary.words(upper) + SpokenVocabulary.words(lower)).joined(separator: " ")
            #expect(tag(full) == "\(upper)-\(lower)")
            if upper.region == lower.region {
                #expect(tag(SpokenVocabulary.words(upper).joined(separator: " ") + " " + SpokenVocabulary.numbers[lower.number - 1]) == "\(upper)-\(lower)")
            }
        }
    }

    @Test("a wake word is taken off the phrase, and may be said alone")
    func wakeWord() throws {
        let vocabulary = try SpokenVocabulary(dictionary: Self.dictionary, wakeWord: "okay needle")
        #expect(vocabulary.command("okay needle snap") == .snap)
        #expect(vocabulary.command("okay needle") == nil, "the wake word alone is no command")
        #expect(vocabulary.jsgf.contains("public <command> = [okay needle] (<tag> | <action>) | okay needle;"))
        #expect(throws: VoiceError.self) { try SpokenVocabulary(dictionary: Self.dictionary, wakeWord: "xqzzy") }
    }

    @Test("the grammar names every word once it is in the dictionary or the anatomy table")
    func grammarWords() {
        let grammar = Self.vocabulary.jsgf
        #expect(grammar.hasPrefix("#JSGF V1.0;"))
        #expect(grammar.contains("l four l five"))
        #expect(grammar.contains("interspinous"))
        for word in Self.vocabulary.words { #expect(Self.dictionary.canSay(word), "\(word)") }
        let added = Self.dictionary.additions(for: Self.vocabulary.words).map(\.word)
        #expect(added.contains("interspinous") && added.contains("sacroiliac"))
        #expect(!added.contains("facet"), "CMUdict has facet")
    }
}
