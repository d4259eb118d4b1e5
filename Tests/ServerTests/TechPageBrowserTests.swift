import Archive
import Foundation
import Records
import Server
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The tech's page in a real headless Chromium, driven over WebDriver.
@Suite("the tech page in a real browser", .serialized)
struct TechPageBrowserTests {
    static let artifacts = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/artifacts").path

    @Test("start, pick a level, structure and side, snap, footswitch to the next level, stop: the archive shows all of it")
    func techWorkflow() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("sam", role: .tech, password: "sam's table password", by: "test")
        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "cervical-1280x720.mp4")
        defer { if daemon.isRunning { daemon.terminate() } }

        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: "http://127.0.0.1:\(port)", user: "sam", password: "sam's table password", next: "/tech")
            // A patient new to the clinic, added at the table.
            try await browser.click("#new-patient")
            try await browser.type("P-42", into: "#new-id")
            try await browser.type("Roe", into: "#new-family")
            try await browser.type("Ann", into: "#new-given")
            _ = try await browser.script("document.getElementById('new-born').value = '1975-06-15'")
            try await browser.click("#add-patient")
            try await browser.waitForText("#message") { $0 == "patient P-42 added" }
            #expect(try await browser.script("return document.getElementById('patient').value") as? String == "P-42")
            try await browser.type("2/6", into: "#treatment")
            try await browser.click("#start")
            try await Task.sleep(for: .seconds(1))
            try await browser.click(#"#levels button[data-value="C5-C6"]"#)
            try await browser.click(#"#structures button[data-value="facet-capsule"]"#)
            try await browser.click(#"#sides button[data-value="left"]"#)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await browser.text("#tag-shown") == "left C5-C6 facet-capsule")
            try await browser.click("#snap")
            try await Task.sleep(for: .milliseconds(500))
            try await browser.press("\u{E036}")   // F6: the footswitch's "next level"
            try await Task.sleep(for: .milliseconds(800))
            #expect(try await browser.text("#level-shown") == "C6")
            #expect(try await browser.text("#state").hasPrefix("recording"))
            try await browser.screenshot(to: Self.artifacts + "/tech-page-recording.png")
            try await browser.click("#stop")
            try await Task.sleep(for: .milliseconds(800))
            #expect(try await browser.text("#state") == "idle")
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()

        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        // The signed-in tech is the session's tech, whatever a form might say.
        #expect(session.status == .completed && session.treatment.number == 2 && session.tech == "sam")
        #expect(session.patientID.value == "P-42")
        let added = try #require(try await f.archive.patient(PatientID("P-42")))
        #expect(added.familyName == "Roe" && added.birthDate.description == "1975-06-15")
        #expect(try await f.archive.auditEvents(patient: "P-42").contains { $0.action == "patient-add" && $0.actor == "sam" })
        let tags = try await f.archive.tags(ofSession: session.id).map(\.tag.description)
        #expect(tags.first == "left C5-C6" || tags.contains("left C5-C6 facet-capsule"))
        #expect(tags.last == "left C6 facet-capsule")
        let stills = try await f.archive.stills(ofSession: session.id)
        let snap = try #require(stills.first { $0.reason == .snap })
        #expect(snap.tag?.description == "left C5-C6 facet-capsule")
    }
}
