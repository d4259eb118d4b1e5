import Foundation

/// Which words the recogniser can hear: those in the acoustic model's pronouncing
/// dictionary (CMUdict, 134 k words), plus the anatomy it lacks, spelled here in the
/// same phone set. A word in neither cannot be in the grammar.
public struct PronouncingDictionary: Sendable {
    /// Words of the model's dictionary, lower case, alternates folded in.
    private let known: Set<String>
    /// The file's text, kept for the pronunciations of the few words a grammar uses: read
    /// once, not again when the recogniser's word list is made.
    private let text: String

    /// Debian's `pocketsphinx-en-us` dictionary.
    public static let standardPath = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"

    /// - Throws: ``VoiceError`` `.model` when the file cannot be read.
    public init(contentsOf path: String = PronouncingDictionary.standardPath) throws(VoiceError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw VoiceError(.model, "cannot read the pronouncing dictionary \(path): install pocketsphinx-en-us (tools/setup does)")
        }
        var words = Set<String>()
        words.reserveCapacity(140_000)
        for line in text.split(separator: "\n") {
            guard let end = line.firstIndex(where: { $0 == " " || $0 == "(" }) else { continue }
            words.insert(String(line[..<end]))
        }
        known = words
        self.text = text
    }

    /// A dictionary of these words alone (tests).
    public init(words: Set<String>) {
        known = words
        text = ""
    }

    public func canSay(_ word: String) -> Bool {
        known.contains(word) || Self.anatomy[word] != nil
    }

    /// Pronunciations to add to the model for the words of a grammar it does not know.
    public func additions(for words: some Sequence<String>) -> [(word: String, phones: [String])] {
        Set(words).filter { !known.contains($0) }.sorted().compactMap { word in Self.anatomy[word].map { (word, $0) } }
    }

    /// A dictionary file's text with these words alone, every pronunciation of each: a
    /// recogniser given only the grammar's words loads in milliseconds, not the 134 k.
    public func entries(for words: Set<String>) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n") {
            guard let end = line.firstIndex(where: { $0 == " " || $0 == "(" }), words.contains(String(line[..<end])) else { continue }
            lines.append(String(line))
        }
        for (word, variants) in additions(for: words) {
            for (index, phones) in variants.enumerated() { lines.append(index == 0 ? "\(word) \(phones)" : "\(word)(\(index + 1)) \(phones)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Anatomy missing from CMUdict, in its ARPAbet phones (stress marks dropped, as the
    /// model's dictionary has them). Spoken as American clinicians say them.
    static let anatomy: [String: [String]] = [
        "apophyseal": ["AE P AH F IH Z IY AH L"],
        "costosternal": ["K AA S T OW S T ER N AH L"],
        // Two ways each where clinicians differ: with one, "interspinous" was heard as "t two three left".
        "costotransverse": ["K AA S T OW T R AE N Z V ER S", "K AO S T AH T R AE N S V ER S"],
        "costovertebral": ["K AA S T OW V ER T AH B R AH L"],
        "fascia": ["F AE SH AH", "F AE SH IY AH"],
        "flava": ["F L EY V AH"],
        "flavum": ["F L EY V AH M"],
        "iliac": ["IH L IY AE K"],
        "iliolumbar": ["IH L IY OW L AH M B AA R", "IH L IY OW L AH M B ER"],
        "interspinal": ["IH N T ER S P AY N AH L"],
        "interspinous": ["IH N T ER S P AY N AH S", "IH N T ER S P IH N AH S"],
        "ligamenta": ["L IH G AH M EH N T AH"],
        "ligamentum": ["L IH G AH M EH N T AH M"],
        "lumbodorsal": ["L AH M B OW D AO R S AH L"],
        "nuchae": ["N UW K IY"],
        "nuchal": ["N UW K AH L"],
        "sacrococcygeal": ["S EY K R OW K AA K S IH JH IY AH L"],
        "sacroiliac": ["S AE K R OW IH L IY AE K", "S EY K R OW IH L IY AE K"],
        "sacrospinous": ["S EY K R OW S P AY N AH S"],
        "sacrotuberous": ["S EY K R OW T UW B ER AH S"],
        "sternoclavicular": ["S T ER N OW K L AH V IH K Y AH L ER"],
        "sternocostal": ["S T ER N OW K AA S T AH L"],
        "supraspinal": ["S UW P R AH S P AY N AH L"],
        "supraspinous": ["S UW P R AH S P AY N AH S", "S UW P R AH S P IH N AH S"],
        "thoracodorsal": ["TH AO R AH K OW D AO R S AH L"],
        "thoracolumbar": ["TH AO R AH K OW L AH M B AA R"],
        "zygapophyseal": ["Z AY G AH P AH F IH Z IY AH L"],
        "zygapophysial": ["Z AY G AH P AH F IH Z IY AH L"],
    ]
}
