import Anatomy
import Foundation

extension ProcedureSession {
    /// What differs in the signed part of the record (indication, notes, complications,
    /// pain scores, injections) between this version and `later`, as an addendum lists it.
    public func recordChanges(to later: ProcedureSession) -> [Addendum.Change] {
        var changes: [Addendum.Change] = []
        func compare(_ field: String, _ before: String, _ after: String) {
            if before != after { changes.append(Addendum.Change(field: field, before: before, after: after)) }
        }
        compare("indication", Self.shown(indication), Self.shown(later.indication))
        compare("notes", Self.shown(notes), Self.shown(later.notes))
        compare("complications", Self.shown(complications.joined(separator: "; ")), Self.shown(later.complications.joined(separator: "; ")))
        compare("pain before", Self.shown(painScores.before), Self.shown(later.painScores.before))
        compare("pain after", Self.shown(painScores.after), Self.shown(later.painScores.after))
        compare("follow-ups", Self.shown(painScores.followUps), Self.shown(later.painScores.followUps))
        compare("injections", Self.shown(injections), Self.shown(later.injections))
        return changes
    }

    /// "—" stands for nothing, as the pages show it.
    static func shown(_ text: String) -> String { text.isEmpty ? "—" : text }
    static func shown(_ score: Int?) -> String { score.map(String.init) ?? "—" }

    static func shown(_ followUps: [FollowUpScore]) -> String {
        shown(followUps.map { "day \($0.daysAfter): \($0.score)" }.joined(separator: "; "))
    }

    static func shown(_ injections: [InjectionSite]) -> String {
        shown(injections.map(\.summary).joined(separator: "; "))
    }
}

extension InjectionSite {
    /// `left L4-L5 facet joint capsule: PRP 4x, 2.0 mL, 25 G`, as a record lists it.
    public var summary: String {
        let place = [site.description, structure.flatMap { TargetStructure(id: $0)?.displayName }].compactMap(\.self).joined(separator: " ")
        return "\(place): \(injectate.summary), \(String(format: "%.1f", volumeMillilitres)) mL, \(needleGauge) G"
    }
}

extension NeedleAnnotation {
    /// `revision 2: 34°, 41.0 mm` (or px without a scale), as an addendum names a drawing.
    public var summary: String {
        let length = geometry.lengthMillimetres.map { String(format: "%.1f mm", $0) } ?? String(format: "%.0f px", geometry.lengthPixels)
        return "revision \(revision): \(String(format: "%.0f°", geometry.angleDegrees)), \(length)"
    }
}
