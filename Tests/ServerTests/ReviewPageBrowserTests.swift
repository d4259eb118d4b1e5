import Anatomy
import Archive
import Capture
import Foundation
import Records
import Server
import Testing
import Workflows

/// The physician's pages in a real headless Chromium over WebDriver: sign in, search by
/// level on the spine picker, draw a needle with the mouse, save, reload, find it again.
@Suite("the review pages in a real browser", .serialized)
struct ReviewPageBrowserTests {
    @Test("search by level shows the archive's stills; a needle drawn with the mouse survives a reload")
    func physicianWorkflow() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let clip = DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path
        let tags = try TagFile(parsing: String(contentsOfFile: DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.tags").path,
                                               encoding: .utf8), author: "sam").events
        let report = try await ClipImporter(archive: f.archive).importClip(clip, options: .init(
            patient: PatientID("P-1"), tags: tags, startedAt: Date(timeIntervalSince1970: 1_714_636_800), treatment: TreatmentNumber(1, of: 4),
            physician: "dr.lee", tech: "sam"))
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: "dr lee's own secret", by: "test")
        let expected = try await f.archive.search(StillSearch(site: SiteQuery(try AnatomicSite(parsing: "L4-L5")), limit: 60))
        #expect(!expected.isEmpty)
        let still = try #require(report.stills.first)

        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "lumbar-capture-640x480.mkv")
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: base, user: "dr.lee", password: "dr lee's own secret", next: "/search")
            try await browser.click(#"#spine button[data-level="L4-L5"]"#)
            try await browser.waitForText("#message") { $0.hasSuffix("still(s)") }
            let shown = try await browser.script("return [...document.querySelectorAll('#results a.thumb')].map(a => a.dataset.still)") as? [String]
            #expect(shown == expected.map { $0.still.id.uuidString.lowercased() })
            // Thumbnails are real images the browser decoded.
            // The list appears before its images finish loading: give them a few seconds.
            var loaded: Int?
            for _ in 0..<50 {
                loaded = try await browser.script("return [...document.querySelectorAll('#results img')].filter(i => i.complete && i.naturalWidth > 0).length") as? Int
                if loaded == expected.count { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(loaded == expected.count)
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-search-L4-L5.png")

            // The session page plays the recording (MJPEG in Matroska, which browsers cannot
            // play) around a still, converted to WebM by the daemon.
            try await browser.open("\(base)/session?id=\(report.session.id.uuidString.lowercased())")
            try await browser.click(#"button[data-play="\#(still.id.uuidString.lowercased())"]"#)
            try await browser.waitForText("#playback-title") { $0.hasPrefix("Recording ") && !$0.contains("converting") }
            let video = try await browser.script("const v = document.getElementById('player'); return [v.readyState, v.videoWidth, v.duration]") as? [Double]
            #expect((video?[0] ?? 0) >= 2 && video?[1] == 640)
            #expect(abs((video?[2] ?? 0) - min(still.time + 5, 10) + max(0, still.time - 5)) < 1.5)
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-session-playback.png")

            try await browser.open("\(base)/still?id=\(still.id.uuidString.lowercased())")
            try await browser.waitForText("#revision") { $0 == "none" }
            _ = try await browser.waitForZoom()
            // The session's scale from two ticks of the depth scale, 300 px and 30 mm apart.
            try await browser.click(#"button[data-mode="scale"]"#)
            try await browser.drag(on: "#canvas", from: (600, 60), to: (600, 60))
            try await browser.drag(on: "#canvas", from: (600, 360), to: (600, 360))
            #expect(try await browser.waitForText("#tick-pixels") { !$0.isEmpty } == "300.0")
            try await browser.type("30", into: "#tick-mm")
            try await browser.click("#save-scale")
            try await browser.waitForText("#message") { $0.hasPrefix("Scale set: 0.100 mm per pixel") }
            #expect(try await f.archive.scale(ofSession: report.session.id) == 0.1)
            try await browser.click(#"button[data-mode="needle"]"#)
            try await browser.drag(on: "#canvas", from: (60, 50), to: (260, 210))
            // Measured by the server (NeedleGeometry), shown once it answers.
            #expect(try await browser.waitForText("#angle") { $0 != "—" } == "38.7°")
            #expect(try await browser.text("#depth") == "16.0 mm")
            #expect(try await browser.script("return document.getElementById('angle').dataset.measured") as? String == "server")
            // The tip is selected after the drag: two presses of the right arrow nudge it 2 px.
            func tipPoint() async throws -> [Double] {
                let text = try await browser.script("return document.getElementById('canvas').dataset.tip") as? String ?? ""
                return text.split(separator: ",").compactMap { Double($0) }
            }
            let dragged = try await tipPoint()
            try await browser.press("\u{E014}")
            try await browser.press("\u{E014}")
            let nudged = try await tipPoint()
            #expect(nudged.count == 2 && abs(nudged[0] - dragged[0] - 2) < 0.01 && nudged[1] == dragged[1])
            try await browser.click("#save")
            try await browser.waitForText("#message") { $0.hasPrefix("Saved as revision 1") }

            try await browser.open("\(base)/still?id=\(still.id.uuidString.lowercased())")
            try await browser.waitForText("#revision") { $0 == "1 by dr.lee" }
            let entry = try await browser.script("return document.getElementById('canvas').dataset.entry") as? String
            let tip = try await browser.script("return document.getElementById('canvas').dataset.tip") as? String
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-still-needle.png")
            let saved = try #require(try await f.archive.annotationHistory(ofStill: still.id).current)
            #expect(entry == String(format: "%.1f,%.1f", saved.entry.x, saved.entry.y))
            #expect(tip == String(format: "%.1f,%.1f", saved.tip.x, saved.tip.y))
            // Where the mouse went, within a pixel (the canvas shows the 640-wide still at 100%).
            #expect(abs(saved.entry.x - 60) <= 1.5 && abs(saved.entry.y - 50) <= 1.5)
            #expect(abs(saved.tip.x - 262) <= 1.5 && abs(saved.tip.y - 210) <= 1.5)
            #expect(saved.author == "dr.lee")
        } catch {
            try? await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-failure.png")
            await browser.quit()
            throw error
        }
        await browser.quit()
        let actions = try await f.archive.auditEvents().filter { $0.actor == "dr.lee" }.map(\.action)
        #expect(actions.contains("login") && actions.contains("search") && actions.contains("view-still") && actions.contains("annotate"))
    }
}

extension ReviewPageBrowserTests {
    @Test("the physician signs on the session page with their password; a later change is an addendum shown after the signed record")
    func signAndAmend() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let report = try await Self.importedSession(f)
        try await f.archive.editSession(report.session.id, expecting: nil, by: "dr.lee") { $0.painScores = try PainScores(before: 7, after: 3) }
        let id = report.session.id.uuidString.lowercased()

        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "lumbar-capture-640x480.mkv")
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: base, user: "dr.lee", password: "dr lee's own secret", next: "/sessions")
            try await browser.waitForText(#"#to-sign-list tr[data-session="\#(id)"]"#)
            try await browser.open("\(base)/session?id=\(id)")
            #expect(try await browser.waitForText("#signature-text") { $0 == "Not signed" } == "Not signed")
            try await browser.click("#sign")
            try await browser.type("not my password", into: "#sign-password")
            try await browser.click("#sign-confirm")
            try await browser.waitForText("#message") { $0.contains("not your password") }
            #expect(try await f.archive.signature(ofSession: report.session.id) == nil)
            try await browser.type("dr lee's own secret", into: "#sign-password")
            try await browser.click("#sign-confirm")
            try await browser.waitForText("#signature-text") { $0.hasPrefix("Signed by Ann Lee, MD") }
            let signature = try #require(try await f.archive.signature(ofSession: report.session.id))
            #expect(try await browser.text("#signature-text").contains(String(signature.contentHash.hexDigits.prefix(12))))
            #expect(try await browser.script("return document.getElementById('sign').hidden") as? Bool == true)

            // After signing the form needs a reason; the save is an addendum, the facts stay as signed.
            _ = try await browser.script("document.getElementById('pain-after').value = '2'")
            try await browser.type("called back the next day", into: "#reason")
            try await browser.click("#save-record")
            try await browser.waitForText(#"#addendum-list li[data-addendum="1"]"#) { $0.contains("Reason: called back the next day") }
            #expect(try await browser.text(#"#addendum-list li[data-addendum="1"]"#).contains("pain after: 3 → 2"))
            #expect(try await browser.text("#facts").contains("7 / 3"), "the record as signed")
            #expect(try await browser.text("#amended").contains("7 / 2"))
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-session-signed.png")
            try await browser.open("\(base)/sessions")
            try await browser.waitForText("#to-sign") { $0.contains("Nothing to sign") }
        } catch {
            try? await browser.screenshot(to: TechPageBrowserTests.artifacts + "/review-sign-failure.png")
            await browser.quit()
            throw error
        }
        await browser.quit()
        let addenda = try await f.archive.addenda(ofSession: report.session.id)
        #expect(addenda.count == 1 && addenda[0].author == "dr.lee" && addenda[0].reason == "called back the next day")
        #expect(try await f.archive.signature(ofSession: report.session.id)?.record.painScores.after == 3)
        #expect(try await f.archive.verifyAudit().isIntact)
    }
}

extension WebDriver {
    /// Waits for the still page to have its image and zoom, and returns the zoom.
    func waitForZoom() async throws -> Double {
        for _ in 0..<60 {
            if let zoom = try await script("return document.getElementById('canvas').dataset.zoom || ''") as? String, let value = Double(zoom) {
                return value
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        throw Failure(description: "the still never showed")
    }
}

extension ReviewPageBrowserTests {
    /// The capture card's sample imported untagged for P-1 by dr.lee and sam, and dr.lee's
    /// account (password "dr lee's own secret") to sign in with.
    static func importedSession(_ f: DeskFixture) async throws -> ClipImporter.Report {
        let clip = DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path
        let report = try await ClipImporter(archive: f.archive).importClip(clip, options: .init(
            patient: PatientID("P-1"), tags: [], startedAt: Date(timeIntervalSince1970: 1_714_636_800), treatment: TreatmentNumber(1, of: 4),
            physician: "dr.lee", tech: "sam"))
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: "dr lee's own secret", by: "test")
        return report
    }
}
