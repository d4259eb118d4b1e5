import Archive
import Foundation
import Records
import Server
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
import Workflows
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
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam", credentials: "RDMS"), password: "sam's table password", by: "test")
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
            // The clinic's one physician is offered by name and chosen (issue 23: no placeholder).
            #expect(try await browser.script("return document.getElementById('physician').value") as? String == "dr.oak")
            #expect(try await browser.script("return document.getElementById('physician').selectedOptions[0].textContent") as? String
                    == "Rowan Oak, MD (dr.oak)")
            try await browser.click("#start")
            try await Task.sleep(for: .seconds(1))
            try await browser.click(#"#levels button[data-value="C5-C6"]"#)
            try await browser.click(#"#structures button[data-value="facet-capsule"]"#)
            try await browser.click(#"#sides button[data-value="left"]"#)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await browser.text("#tag-shown") == "left C5-C6 facet-capsule")
            try await browser.click("#snap")
            try await Task.sleep(for: .milliseconds(1500))
            // The tech sees the stills of the session they run: every thumbnail loads (a 403
            // leaves an image with no width).
            let thumbnails = try await browser.script(
                "return [...document.querySelectorAll('#strip img')].map(i => i.complete && i.naturalWidth > 0 ? 'ok' : 'broken ' + i.src)") as? [Any]
            #expect(thumbnails?.isEmpty == false && thumbnails?.allSatisfy { $0 as? String == "ok" } == true, "\(thumbnails ?? [])")
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
        #expect(session.status == .completed && session.treatment.number == 2 && session.tech == "sam" && session.physician == "dr.oak")
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

    @Test("the daemon restarted mid-session: the tech page offers the procedure, one press records part 2; the session page lists both parts and plays them in order")
    func continueAfterRestart() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let book = AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4))
        try await book.add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam", credentials: "RDMS"), password: "sam's table password", by: "test")
        try await book.add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: "dr lee's review password", by: "test")
        let clip = "lumbar-capture-640x480.mkv"
        let (first, firstPort, _) = try DaemonProcessTests.launch(archive: f.root, clip: clip)
        defer { if first.isRunning { first.terminate() } }
        let token = try DaemonProcessTests.token(f.root)
        #expect(try await DaemonProcessTests().request(firstPort, "session/start", body: #"{"patient":"P-1","treatment":"2/6","tech":"sam","physician":"dr.lee"}"#, token: token).0 == 200)
        try await Task.sleep(for: .seconds(2.5))
        first.terminate()   // SIGTERM, as systemd's restart sends
        first.waitUntilExit()
        let part1 = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        #expect(part1.status == .interrupted)

        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: clip)
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let tech = try await WebDriver(port: port + 1)
        do {
            try await tech.signIn(base: base, user: "sam", password: "sam's table password", next: "/tech")
            try await tech.waitForText("#continue-button") { $0 == "Continue as part 2" }
            let offer = try await tech.text("#continue-text")
            #expect(offer.hasPrefix("Patient P-1: part 1 was interrupted at") && offer.contains("daemon was stopped"), "\(offer)")
            try await tech.screenshot(to: Self.artifacts + "/tech-page-continue.png")
            try await tech.click("#continue-button")
            try await tech.waitForText("#state") { $0.hasPrefix("recording") }
            #expect(try await tech.script("return document.getElementById('continue').hidden") as? Bool == true)
            try await Task.sleep(for: .seconds(2.5))
            try await tech.click("#stop")
            try await tech.waitForText("#state") { $0 == "idle" }
        } catch {
            await tech.quit()
            throw error
        }
        await tech.quit()
        let part2 = try #require(try await f.archive.procedureParts(of: part1.id).last?.session)
        #expect(part2.part == 2 && part2.continuation?.previous == part1.id && part2.tech == "sam" && part2.treatment == part1.treatment)

        let physician = try await WebDriver(port: port + 2)
        do {
            try await physician.signIn(base: base, user: "dr.lee", password: "dr lee's review password", next: "/session?id=\(part2.id.uuidString.lowercased())")
            try await physician.waitForText("#part-list li[data-part='2']")
            let items = try await physician.script("return [...document.querySelectorAll('#part-list li')].map((li) => li.dataset.part + ' ' + li.textContent)") as? [String] ?? []
            #expect(items.count == 2 && items[0].hasPrefix("1 Part 1") && items[0].contains("interrupted") && items[1].hasPrefix("2 Part 2"), "\(items)")
            try await physician.click("#play-procedure")
            // Part 1 plays first, then part 2: the player names the part it shows.
            var seen: [String] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, seen.last != "2" {
                if let part = try await physician.script("return document.getElementById('player').dataset.part || ''") as? String, !part.isEmpty, part != seen.last {
                    seen.append(part)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(seen == ["1", "2"], "parts played: \(seen)")
            let playing = try await physician.script("const v = document.getElementById('player'); return [v.readyState, v.videoWidth]") as? [Int] ?? []
            #expect(playing.count == 2 && playing[0] >= 2 && playing[1] > 0, "the player: \(playing)")
            try await physician.screenshot(to: Self.artifacts + "/session-page-parts.png")
        } catch {
            await physician.quit()
            throw error
        }
        await physician.quit()
    }
}
