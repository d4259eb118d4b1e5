import Anatomy
import Foundation
import Records
import Testing

/// What an addendum says changed in a signed record, and what it takes as a reason.
@Suite("addenda: the changes to a signed record, and their reasons")
struct AddendumTests {
    func session() throws -> ProcedureSession {
        try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(timeIntervalSince1970: 1_714_636_800), physician: "dr.lee",
                             tech: "sam", indication: "low back pain", treatment: TreatmentNumber(1, of: 4), notes: "")
    }

    @Test("each field that differs is listed once, from what to what; nothing is listed for an identical record")
    func changes() throws {
        let before = try session()
        #expect(before.recordChanges(to: before).isEmpty)
        var after = before
        after.notes = "vasovagal, settled"
        after.indication = "low back pain, left"
        after.complications = ["bruising", "transient numbness"]
        after.painScores = try PainScores(before: 6, after: nil, followUps: [FollowUpScore(daysAfter: 42, score: 2)])
        after.injections = [try InjectionSite(site: AnatomicSite(parsing: "left L4-L5"), structure: TargetStructure.facetCapsule.id,
                                              injectate: .prolotherapy(try Prolotherapy(dextrosePercent: 15)), volumeMillilitres: 1.5, needleGauge: 25)]
        let changes = before.recordChanges(to: after)
        #expect(changes.map(\.field) == ["indication", "notes", "complications", "pain before", "follow-ups", "injections"])
        #expect(changes[1] == Addendum.Change(field: "notes", before: "—", after: "vasovagal, settled"))
        #expect(changes[2].after == "bruising; transient numbness")
        #expect(changes[3] == Addendum.Change(field: "pain before", before: "—", after: "6"))
        #expect(changes[4].after == "day 42: 2")
        #expect(changes[5].before == "—" && changes[5].after.hasPrefix("left L4-L5 Facet joint capsule: dextrose 15%") && changes[5].after.hasSuffix("1.5 mL, 25 G"),
                "\(changes[5].after)")
        // Back again: the same fields, before and after swapped.
        #expect(after.recordChanges(to: before).map(\.before) == changes.map(\.after))
    }

    @Test("a reason is trimmed, and required: empty or too long is refused with what would be right")
    func reasons() throws {
        #expect(try Addendum.checkedReason("  level recounted from the sacrum\n") == "level recounted from the sacrum")
        expectRefusal("reason for the addendum is empty: the record is signed, so a change is an addendum: say why it changes (for example, the level recounted from the sacrum)") {
            () throws(RecordError) in _ = try Addendum.checkedReason(" \n ")
        }
        expectRefusal("reason for the addendum is 501 characters long: write at most 500") {
            () throws(RecordError) in _ = try Addendum.checkedReason(String(repeating: "x", count: 501))
        }
        let addendum = try Addendum(number: 2, author: "dr.kim", createdAt: Date(timeIntervalSince1970: 0), reason: " typo ", changes: [])
        #expect(addendum.reason == "typo" && addendum.number == 2)
    }
}
