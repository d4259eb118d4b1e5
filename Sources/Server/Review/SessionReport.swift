import Anatomy
import Foundation
import Records

/// The printable session report: patient, procedure, injections, pain scores, and each
/// still with its tag and needle measurements. Plain HTML with print styles, so the
/// browser's Print makes the PDF.
struct SessionReport {
    let session: ProcedureSession
    let patient: Patient
    let tags: [TagEvent]
    let stills: [Still]
    let annotations: [UUID: NeedleAnnotation]
    let printedBy: String
    /// Staff as people ("Ann Lee, MD") by user name; a name missing here prints as unverified.
    var people: [String: String] = [:]
    /// The physician's signature: the report then shows the record as signed, and after
    /// it each addendum with its author, time, reason and changes.
    var signature: Signature?
    var addenda: [Addendum] = []

    private func staff(_ name: String) -> String {
        people[name].map { "\($0) (\(name))" } ?? "\(name) (unverified)"
    }

    var html: String {
        let e = HTMLText.escape
        let date = session.startedAt.formatted(date: .long, time: .shortened)
        var out = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Session report \(e(patient.id.value))</title>
            <link rel="stylesheet" href="/review.css"></head><body class="report">
            <h1>Ultrasound-guided injection: session report</h1>
            <table class="facts">
            <tr><th>Patient</th><td>\(e(patient.familyName)), \(e(patient.givenName)) (\(e(patient.id.value))), born \(e(patient.birthDate.description))</td></tr>
            <tr><th>Date</th><td>\(e(date))</td></tr>
            <tr><th>Treatment</th><td>\(e(session.treatment.description))</td></tr>
            <tr><th>Physician</th><td>\(e(staff(session.physician)))</td></tr>
            <tr><th>Tech</th><td>\(e(staff(session.tech)))</td></tr>
            <tr><th>Indication</th><td>\(e(session.indication))</td></tr>
            <tr><th>Pain (NRS)</th><td>before \(session.painScores.before.map(String.init) ?? "-"), after \(session.painScores.after.map(String.init) ?? "-")</td></tr>
            </table>

            """
        out += "<h2>Injections</h2>"
        if session.injections.isEmpty {
            out += "<p>None recorded.</p>"
        } else {
            out += "<table class=\"list\"><tr><th>Site</th><th>Structure</th><th>Injectate</th><th>Volume</th></tr>"
            for injection in session.injections {
                out += "<tr><td>\(e(injection.site.description))</td><td>\(e(injection.structure.flatMap { TargetStructure(id: $0)?.displayName } ?? "-"))</td>"
                out += "<td>\(e(injection.injectate.summary))</td><td>\(String(format: "%.1f", injection.volumeMillilitres)) mL</td></tr>"
            }
            out += "</table>"
        }
        out += "<h2>Tags</h2><p>" + (tags.isEmpty ? "None." : tags.map { e(String(format: "%.1f s ", $0.time) + $0.tag.description) }.joined(separator: "; ")) + "</p>"
        out += "<h2>Stills</h2><div class=\"report-stills\">"
        let signed = Dictionary((signature?.record.stills ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for still in stills {
            let id = still.id.lowercased
            // Once signed, each still as signed: its tag and needle then (a later change is an addendum).
            let annotation = signed[still.id].map(\.needle) ?? annotations[still.id]
            let tag = signed[still.id].map(\.tag) ?? still.tag
            let image = annotation.map { "/api/stills/\(id)/annotated.png?revision=\($0.revision)" } ?? "/api/stills/\(id).png"
            out += "<figure><img src=\"\(image)\" alt=\"still at \(String(format: "%.1f", still.time)) s\"><figcaption>"
            out += e(String(format: "%.1f s · ", still.time) + (tag?.description ?? "untagged"))
            if let annotation {
                out += "<br>needle " + String(format: "%.0f°", annotation.angleDegrees)
                if let depth = annotation.tipDepthMillimetres { out += String(format: ", tip depth %.1f mm", depth) }
                if !annotation.note.isEmpty { out += "<br>" + e(annotation.note) }
            }
            out += "</figcaption></figure>"
        }
        out += "</div>" + signatureSection(stillTimes: Dictionary(stills.map { ($0.id, $0.time) }, uniquingKeysWith: { first, _ in first }))
        out += "<p class=\"printed\">Printed by \(e(printedBy)) from NeedleLog.</p></body></html>\n"
        return out
    }

    /// "Signed by … at …" (or "Not signed"), then the addenda in order.
    private func signatureSection(stillTimes: [UUID: Double]) -> String {
        let e = HTMLText.escape
        guard let signature else { return "<h2>Signature</h2><p class=\"unsigned\">Not signed.</p>" }
        var out = "<h2>Signature</h2><p class=\"signed\">Signed by \(e(staff(signature.signedBy))) on "
        out += e(signature.signedAt.formatted(date: .long, time: .shortened)) + ". Record SHA-256 <code>\(signature.contentHash.hexDigits)</code></p>"
        guard !addenda.isEmpty else { return out + "<p>No addenda.</p>" }
        out += "<h2>Addenda</h2><ol class=\"addenda\">"
        for addendum in addenda {
            out += "<li><p><b>Addendum \(addendum.number)</b> by \(e(staff(addendum.author))) on \(e(addendum.createdAt.formatted(date: .long, time: .shortened)))"
            out += "<br>Reason: \(e(addendum.reason))</p><ul>"
            for change in addendum.changes {
                let still = change.still.flatMap { stillTimes[$0] }.map { String(format: " (still at %.1f s)", $0) } ?? ""
                out += "<li>\(e(change.field))\(e(still)): \(e(change.before)) → \(e(change.after))</li>"
            }
            out += "</ul></li>"
        }
        return out + "</ol>"
    }
}
