import Foundation

/// The Levenshtein distance between two strings: the fewest single-character
/// insertions, deletions and substitutions that turn one into the other.
func editDistance(_ source: String, _ target: String) -> Int {
    let source = Array(source), target = Array(target)
    guard !source.isEmpty else { return target.count }
    guard !target.isEmpty else { return source.count }
    // One row of the classic table at a time: names are short and this runs per keystroke at most.
    var previous = Array(0...target.count)
    for (i, sourceCharacter) in source.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: target.count)
        for (j, targetCharacter) in target.enumerated() {
            let substitution = previous[j] + (sourceCharacter == targetCharacter ? 0 : 1)
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
        }
        previous = current
    }
    return previous[target.count]
}
