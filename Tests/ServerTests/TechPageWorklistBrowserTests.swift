import Archive
import Foundation
import Records
import SampleKit
import Server
import Testing
import Workflows

/// dcmtk's wlmscpfs serving SampleKit's day of worklist files on a loopback port.
struct WorklistServer {
    let process: Process
    let port: Int
    let folder: URL

    /// Today's and tomorrow's steps (in this machine's time zone, as the daemon reads "today").
    static func start() throws -> WorklistServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("worklist-\(UUID().uuidString)")
        let title = folder.appendingPathComponent("WLM")
        try FileManager.default.createDirectory(at: title, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: title.appendingPathComponent("lockfile").path, contents: Data())
        let day = { (offset: Int) -> String in
            let date = Calendar.current.date(byAdding: .day, value: offset, to: Date())!
            let parts = Calendar.current.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
        }
        for dump in try WorklistSamples.writeDumps(WorklistSamples.day(day(0), nextDay: day(1)), to: folder) {
            try Self.tool("dump2dcm", [dump.path, title.appendingPathComponent(dump.deletingPathExtension().lastPathComponent + ".wl").path])
        }
        let (process, port) = try launch("wlmscpfs", title: "WLM") { ["-dfp", folder.path, String($0)] }
        return WorklistServer(process: process, port: port, folder: folder)
    }

    /// Starts one of dcmtk's servers on a free loopback port; up once echoscu gets an answer
    /// from `title` there.
    static func launch(_ tool: String, title: String, arguments: (Int) -> [String]) throws -> (Process, Int) {
        for _ in 0..<5 {
            let port = Int.random(in: 40_001...45_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments(port)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<30 where process.isRunning {
                if (try? Self.tool("echoscu", ["-aec", title, "127.0.0.1", String(port)])) != nil { return (process, port) }
                usleep(100_000)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(tool) did not start (dcmtk, from tools/setup)"])
    }

    /// SIGKILL: dcmtk's servers ignore SIGTERM while they wait.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    static func tool(_ name: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(name) exited \(process.terminationStatus)"]) }
        return 0
    }
}

extension TechPageBrowserTests {
    @Test("the worklist on the tech page: today's steps, this station's first; a pick adds the patient and carries the order into the session; offline keeps the list")
    func worklistPicker() async throws {
        let f = try await DeskFixture(clip: "cervical-1280x720.mp4")
        defer { f.remove() }
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam"), password: "sam's table password", by: "test")
        let worklist = try WorklistServer.start()
        defer { worklist.stop() }
        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "cervical-1280x720.mp4",
                                                             extra: ["--worklist", "WLM@127.0.0.1:\(worklist.port)", "--ae-title", "NEEDLELOG"])
        defer { if daemon.isRunning { daemon.terminate() } }

        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: "http://127.0.0.1:\(port)", user: "sam", password: "sam's table password", next: "/tech")
            try await browser.waitForText("#worklist-items") { $0.contains("Müller") }
            let rows = try await browser.script("return [...document.querySelectorAll('#worklist-items button')].map(b => b.textContent)") as? [String] ?? []
            // Today's four ultrasound steps (not tomorrow's, not the CT), NEEDLELOG's three by start, then ROOM2's.
            #expect(rows.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["08:30", "10:15", "14:00", "09:00"], "\(rows)")
            #expect(rows[0].contains("Παπαδοπούλου, Ελένη (PAT-0002)") && rows[3].contains("山田, 花子 (PAT-0003)") && rows[3].hasSuffix("ROOM2"), "\(rows)")
            try await browser.click("#worklist-items li:nth-child(2) button")
            try await browser.waitForText("#order-text") { $0.hasPrefix("Order ACC0001") }
            #expect(try await browser.text("#order-text") == "Order ACC0001 for PAT-0001: US-guided facet joint injection L4-L5")
            #expect(try await browser.script("return document.getElementById('patient').value") as? String == "PAT-0001")
            try await browser.screenshot(to: Self.artifacts + "/tech-page-worklist.png")
            try await browser.click("#start")
            try await browser.waitForText("#state") { $0.contains("accession ACC0001") }
            // While it records, the list steps aside for the picture and the order is spent.
            _ = try await browser.waitForText("#worklist h2") { $0.isEmpty }
            #expect(try await browser.text("#order-picked") == "")
            try await browser.click("#stop")
            try await browser.waitForText("#state") { $0 == "idle" }
            // The list stepped aside while recording; it is back once the session stops.
            try await browser.waitForText("#worklist h2") { $0.hasPrefix("Today's worklist") }
            // The RIS goes away: the list stays, marked offline, and typing a patient still works.
            worklist.stop()
            try await browser.click("#worklist-refresh")
            try await browser.waitForText("#worklist-state") { $0.hasPrefix("Worklist offline") }
            #expect(try await browser.text("#worklist-state").contains("connection refused"))
            #expect((try await browser.script("return document.querySelectorAll('#worklist-items button').length") as? Int) == 4)
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
        let patient = try #require(try await f.archive.patient(PatientID("PAT-0001")))
        #expect(patient.familyName == "Müller" && patient.givenName == "Jürgen" && patient.sex == .male && patient.birthDate.description == "1964-03-12")
        let session = try #require(try await f.archive.sessions(SessionFilter()).first?.session)
        #expect(session.patientID.value == "PAT-0001")
        let order = try #require(try await f.archive.order(ofSession: session.id))
        #expect(order.accessionNumber == "ACC0001" && order.requestedProcedureID == "RP-ACC0001" && order.scheduledStepID == "SPS-ACC0001")
        #expect(order.studyInstanceUID == "1.2.826.0.1.3680043.10.543.1.1")
    }
}
