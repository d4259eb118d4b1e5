import Archive
import Capture
import Foundation
import Records
import Testing
import Workflows

/// The session page's PACS panel (issue 15 item 4) in headless chromium: a physician sends
/// an imported session to a real storage SCP (dcmtk's storescp) and the page follows the
/// sending until every still is in the PACS; the storescp's folder holds what the page says.
@Suite("the session page sends to the PACS", .serialized)
struct SessionPACSBrowserTests {
    @Test("Send to PACS: the page shows the sending, then every still stored, and the sending stays listed with the session")
    func sendFromThePage() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let report = try await ReviewPageBrowserTests.importedSession(f)
        let stills = try await f.archive.stills(ofSession: report.session.id)
        #expect(!stills.isEmpty)
        let pacs = try StoreSCP.start()
        defer { pacs.stop() }
        let id = report.session.id.uuidString.lowercased()

        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "lumbar-capture-640x480.mkv",
                                                              extra: ["--pacs", "PACS@127.0.0.1:\(pacs.port)"])
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver(port: port + 1)
        do {
            try await browser.signIn(base: base, user: "dr.lee", password: "dr lee's own secret", next: "/session?id=\(id)")
            try await browser.waitForText("#pacs-summary") { $0 == "Not sent to the PACS (PACS@127.0.0.1:\(pacs.port)) yet." }
            try await browser.click("#pacs-send")
            let done = try await browser.waitForText("#pacs-summary", seconds: 30) { $0.hasPrefix("In the PACS") }
            #expect(done == "In the PACS: \(stills.count) stored", "\(done)")
            // The page's message line, which said it was sending, now says how it ended.
            try await browser.waitForText("#message") { $0 == done }
            #expect(try await browser.script("return document.querySelectorAll('#pacs-deliveries tbody tr').length") as? Int == 1)
            #expect(try await browser.text("#pacs-deliveries tbody tr") .contains("dr.lee"))
            try await browser.screenshot(to: TechPageBrowserTests.artifacts + "/session-pacs.png")
        } catch {
            try? await browser.screenshot(to: TechPageBrowserTests.artifacts + "/session-pacs-failure.png")
            await browser.quit()
            throw error
        }
        await browser.quit()
        // The storage SCP holds one file per still, and the archive says so.
        let received = try FileManager.default.contentsOfDirectory(atPath: pacs.folder.path)
        #expect(received.count == stills.count, "\(received)")
        let delivery = try #require(try await f.archive.deliveries(ofSession: report.session.id).first)
        #expect(delivery.by == "dr.lee" && delivery.isComplete && delivery.instances.count == stills.count)
        #expect(try await f.archive.auditEvents().contains { $0.actor == "dr.lee" && $0.action == "export" && $0.detail.contains("sent to the PACS") })
    }
}

/// dcmtk's storescp on a free loopback port, writing what it receives into a folder.
struct StoreSCP {
    let process: Process
    let port: Int
    let folder: URL

    static func start() throws -> StoreSCP {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storescp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (process, port) = try WorklistServer.launch("storescp", title: "PACS") { ["-aet", "PACS", "-od", folder.path, String($0)] }
        return StoreSCP(process: process, port: port, folder: folder)
    }

    /// SIGKILL: dcmtk's servers ignore SIGTERM while they wait.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}
