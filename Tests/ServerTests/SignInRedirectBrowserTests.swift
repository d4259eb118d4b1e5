import Archive
import Foundation
import Records
import Server
import Testing
import Workflows

/// The sign-in page in a real headless Chromium: a crafted `?next=` link never takes the
/// browser away from the daemon.
@Suite("sign-in redirects in a real browser", .serialized)
struct SignInRedirectBrowserTests {
    @Test("after sign-in from /?next=/\\evil.example, //evil.example or https://evil.example the browser is on a local page")
    func foreignNext() async throws {
        let f = try await DeskFixture()
        defer { f.remove() }
        let password = "dr lee's own secret"
        try await AccountBook(archive: f.archive, hasher: PasswordHasher(cost: 4)).add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: password, by: "test")
        let (daemon, port, _) = try DaemonProcessTests.launch(archive: f.root, clip: "lumbar-capture-640x480.mkv")
        defer { if daemon.isRunning { daemon.terminate() } }
        let base = "http://127.0.0.1:\(port)"

        let browser = try await WebDriver(port: port + 1)
        /// Where the browser is, or what went wrong asking (an error page of a host that does not resolve).
        func here() async -> String {
            do { return try await browser.script("return location.href") as? String ?? "" } catch { return "\(error)" }
        }
        var landed: [String: String] = [:]
        do {
            for next in [#"/\evil.example"#, "//evil.example", "https://evil.example", "/\t/evil.example", "/session?id=x"] {
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await browser.open("\(base)/?next=\(encoded)")
                try await browser.type("dr.lee", into: "#user")
                try await browser.type(password, into: "#password")
                try await browser.click("#sign-in")
                // Wait until the browser has left the sign-in page.
                var url = await here()
                for _ in 0..<40 where url.hasPrefix("\(base)/?") || url == "\(base)/" {
                    try await Task.sleep(for: .milliseconds(150))
                    url = await here()
                }
                landed[next] = url
                // Signed out again for the next link, from a page of ours.
                try await browser.open("\(base)/sessions")
                _ = try? await browser.script("return fetch('/api/me').then(r => r.json()).then(me => fetch('/api/logout', {method: 'POST', headers: {'X-CSRF-Token': me.csrfToken}}))")
            }
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
        for next in [#"/\evil.example"#, "//evil.example", "https://evil.example", "/\t/evil.example"] {
            #expect(landed[next] == "\(base)/sessions", "next=\(next) landed on \(landed[next] ?? "nothing")")
        }
        #expect(landed["/session?id=x"] == "\(base)/session?id=x")
    }
}
