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
        for still in stills {
            let id = still.id.lowercased
            let annotation = annotations[still.id]
            let image = annotation == nil ? "/api/stills/\(id).png" : "/api/stills/\(id)/annotated.png"
            out += "<figure><img src=\"\(image)\" alt=\"still at \(String(format: "%.1f", still.time)) s\"><figcaption>"
            out += e(String(format: "%.1f s · ", still.time) + (still.tag?.description ?? "untagged"))
            if let annotation {
                out += "<br>needle " + String(format: "%.0f°", annotation.angleDegrees)
                if let depth = annotation.tipDepthMillimetres { out += String(format: ", tip depth %.1f mm", depth) }
                if !annotation.note.isEmpty { out += "<br>" + e(annotation.note) }
            }
            out += "</figcaption></figure>"
        }
        out += "</div><p class=\"printed\">Printed by \(e(printedBy)) from NeedleLog.</p></body></html>\n"
        return out
    }
}
