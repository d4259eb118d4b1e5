import Anatomy
import Archive
import Capture
import NeedleDetection
import Foundation
import Records
import Server
import Testing
import Workflows

extension ReviewPageBrowserTests {
    @Test("the still page shows the detector's needle on a sample still, dashed with its confidence; one press saves it as a revision")
    func acceptSuggestion() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let name = "scanner-export-1148x624"
        let clip = DeskFixture.sampleData.appendingPathComponent(name + ".mp4").path
        let tags = try TagFile(parsing: String(contentsOfFile: DeskFixture.sampleData.appendingPathComponent(name + ".tags").path, encoding: .utf8),
                               author: "sam").events
        let report = try await ClipImporter(archive: f.archive).importClip(clip, options: .init(
            patient: PatientID("P-1"), tags: tags, startedAt: Date(timeIntervalSince1970: 1_714_636_800), treatment: TreatmentNumber(1, of: 4),
            physician: "dr.lee", tech: "sam"))
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: "dr lee's own secret", by: "test")
        // As `needlelog import` does once a clip is in; the daemon would too, within seconds.
        let suggester = NeedleSuggester(archive: f.archive)
        for still in report.stills { try await suggester.suggest(still: still.id) }
        let still = try #require(report.stills.last)
        let stored = try #require(try await f.archive.needleSuggestion(ofStill: still.id))
        let suggestion = try #require(stored.suggestion, "the detector finds the needle on the sample still")
        // Where SampleKit drew it: the tip within 2 mm, the angle within 2 degrees.
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: DeskFixture.sampleData.appendingPathComponent(name + ".json"))) as? [String: Any])
        let fps = try #require(truth["framesPerSecond"] as? Double), mm = try #require(truth["mmPerPixel"] as? Double)
        let needle = try #require((truth["needle"] as? [Any])?[Int((still.time * fps).rounded())] as? [String: Any])
        let tip = try #require(needle["tip"] as? [String: Double])
        #expect(hypot(suggestion.tip.x - tip["x", default: 0], suggestion.tip.y - tip["y", default: 0]) * mm <= 2)
        #expect(abs(suggestion.angleDegrees - (needle["angleDegrees"] as? Double ?? 0)) <= 2)
        #expect(try await f.archive.annotationHistory(ofStill: still.id).revisions.isEmpty, "a suggestion is not a revision")

        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: name + ".mp4")
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver(port: port + 1)
        do {
            // Signed in straight onto the still page (opening it while the sign-in's own
            // redirect is still on its way would race it).
            try await browser.signIn(base: base, user: "dr.lee", password: "dr lee's own secret", next: "/still?id=\(still.id.uuidString.lowercased())")
            try await browser.waitForText("#revision") { $0 == "none" }
            _ = try await browser.waitForZoom()
            let text = try await browser.waitForText("#suggestion-text") { $0.hasPrefix("Suggested needle") }
            #expect(text == String(format: "Suggested needle (dashed): %.0f°, confidence %d%%.", suggestion.angleDegrees,
                                   Int((suggestion.confidence * 100).rounded())))
            let drawn = try await browser.script("return document.getElementById('canvas').dataset.suggestion") as? String
            #expect(drawn == String(format: "%.1f,%.1f-%.1f,%.1f", suggestion.entry.x, suggestion.entry.y, suggestion.tip.x, suggestion.tip.y))
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-still-suggestion.png")

            try await browser.click("#accept")
            try await browser.waitForText("#message") { $0.hasPrefix("The suggested needle is saved as revision 1") }
            #expect(try await browser.waitForText("#revision") { $0 == "1 by dr.lee" } == "1 by dr.lee")
            #expect(try await browser.text(#"#history li[data-revision="1"]"#).contains("accepted from the needle-1 suggestion"))
            // The saved line is now the drawing; the dashed one is gone, and so is the button.
            #expect(try await browser.script("return document.getElementById('canvas').dataset.suggestion") as? String == "")
            #expect(try await browser.script("return document.getElementById('accept').hidden") as? Bool == true)
            #expect(try await browser.text("#suggestion-text").hasPrefix("The suggested needle"))
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-still-suggestion-accepted.png")
        } catch {
            try? await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-suggestion-failure.png")
            await browser.quit()
            throw error
        }
        await browser.quit()
        let saved = try #require(try await f.archive.annotationHistory(ofStill: still.id).current)
        #expect(saved.revision == 1 && saved.author == "dr.lee" && saved.suggestedBy == NeedleDetector.version)
        #expect(saved.entry == suggestion.entry && saved.tip == suggestion.tip)
        #expect(try await f.archive.auditEvents().contains { $0.actor == "dr.lee" && $0.action == "annotate" && $0.outcome == .success })
    }
}
