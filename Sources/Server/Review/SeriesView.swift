import Anatomy
import Foundation
import Hummingbird
import Records

/// A patient's treatments in order, as the series page and its pain chart show them.
struct SeriesView: ResponseCodable {
    struct Treatment: Codable {
        var session: String
        var startedAt: Date
        var treatment: String
        var number: Int
        var planned: Int
        /// Days since the previous session of the series, from the dates.
        var daysSincePrevious: Int?
        var levels: [String]
        var injectates: [String]
        var painBefore: Int?
        var painAfter: Int?
        var followUps: [FollowUpScore]
    }

    var patient: PatientView
    var treatments: [Treatment]

    /// - Parameter stills: each session's stills, for the levels when no injection was recorded.
    init(patient: Patient, sessions: [ProcedureSession], stills: [UUID: [Still]]) {
        self.patient = PatientView(patient)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        var previous: Date?
        treatments = sessions.sorted { $0.startedAt < $1.startedAt }.map { session in
            defer { previous = session.startedAt }
            let days = previous.map {
                calendar.dateComponents([.day], from: calendar.startOfDay(for: $0), to: calendar.startOfDay(for: session.startedAt)).day ?? 0
            }
            var sites = session.injections.map(\.site)
            if sites.isEmpty { sites = (stills[session.id] ?? []).compactMap { $0.tag?.site } }
            var seen = Set<String>()
            let levels = sites.sorted { ($0.spanLow, $0.spanHigh) < ($1.spanLow, $1.spanHigh) }
                .map { AnatomicSite($0.location).description }
                .filter { seen.insert($0).inserted }
            var injectateSeen = Set<String>()
            return Treatment(session: session.id.lowercased, startedAt: session.startedAt, treatment: session.treatment.description,
                             number: session.treatment.number, planned: session.treatment.planned, daysSincePrevious: days,
                             levels: levels,
                             injectates: session.injections.map(\.injectate.summary).filter { injectateSeen.insert($0).inserted },
                             painBefore: session.painScores.before, painAfter: session.painScores.after,
                             followUps: session.painScores.followUps)
        }
    }

    /// The pain scores across the series as an SVG line chart: NRS 0-10 up the side,
    /// treatments along the bottom, before (filled) and after (open) each treatment.
    var painChartSVG: String {
        let width = 640.0, height = 300.0, left = 44.0, right = 16.0, top = 16.0, bottom = 40.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let count = max(treatments.count, 1)
        // Inset from the axes so the first and last points are not cut in half.
        let inset = 16.0
        func x(_ index: Int) -> Double {
            left + inset + (count == 1 ? (plotWidth - 2 * inset) / 2 : (plotWidth - 2 * inset) * Double(index) / Double(count - 1))
        }
        func y(_ score: Int) -> Double { top + plotHeight * (1 - Double(score) / 10) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img" aria-label="Pain scores (NRS 0-10) across the series">
            <g font-family="sans-serif" font-size="12" fill="#333">

            """
        for score in stride(from: 0, through: 10, by: 2) {
            svg += "<line stroke=\"#ddd\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(score))\" y2=\"\(y(score))\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(y(score) + 4)\" text-anchor=\"end\">\(score)</text>\n"
        }
        for (index, treatment) in treatments.enumerated() {
            svg += "<text x=\"\(x(index))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">#\(treatment.number)</text>\n"
        }
        for (series, key) in [("before", \Treatment.painBefore), ("after", \Treatment.painAfter)] {
            let points = treatments.enumerated().compactMap { index, treatment in treatment[keyPath: key].map { (x(index), y($0), $0) } }
            guard !points.isEmpty else { continue }
            let style = series == "before" ? "stroke=\"#c0392b\"" : "stroke=\"#2471a3\" stroke-dasharray=\"5 3\""
            svg += "<polyline fill=\"none\" stroke-width=\"2\" \(style) data-series=\"\(series)\" points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>\n"
            for point in points {
                let fill = series == "before" ? "#c0392b" : "#fff"
                let stroke = series == "before" ? "#c0392b" : "#2471a3"
                svg += "<circle data-series=\"\(series)\" data-score=\"\(point.2)\" cx=\"\(point.0)\" cy=\"\(point.1)\" r=\"4\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n"
            }
        }
        svg += "<text x=\"\(width - right)\" y=\"\(top + 12)\" text-anchor=\"end\">● before  ○ after</text>\n</g></svg>\n"
        return svg
    }
}
