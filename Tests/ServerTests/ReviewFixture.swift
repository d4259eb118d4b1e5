import Anatomy
import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Media
import Records
import Workflows
@testable import Server

/// An archive with two patients' sessions and stills, and one account per role:
/// sam (tech of the lumbar session), dr.lee and dr.kim (physicians), root.admin.
struct ReviewFixture {
    static let password = "correct horse battery"
    let desk: DeskFixture
    let lumbar: ProcedureSession
    let cervical: ProcedureSession
    /// The lumbar session's stills: L4-L5 left facet, L5-S1 midline interspinous.
    let lumbarStills: [Still]
    let cervicalStill: Still
    var archive: SQLiteArchive { desk.archive }
    var server: NeedleServer { desk.server }

    init(idleTimeout: Duration = .seconds(900)) async throws {
        let base = try await DeskFixture(staff: false)
        let server = NeedleServer(archive: base.archive, desk: base.desk, sessions: LoginSessions(idleTimeout: idleTimeout),
                                  hasher: PasswordHasher(cost: 4), stationToken: DeskFixture.token)
        desk = DeskFixture(root: base.root, archive: base.archive, desk: base.desk, server: server)
        let archive = base.archive
        try await archive.add(try Patient(id: PatientID("P-2"), familyName: "Roe", givenName: "Richard",
                                          birthDate: CalendarDate(year: 1960, month: 7, day: 9), sex: .male))
        let book = AccountBook(archive: archive, hasher: PasswordHasher(cost: 4))
        try await book.add("sam", role: .tech, person: try PersonName(family: "Rivera", given: "Sam", credentials: "RDMS"), password: Self.password, by: "test")
        try await book.add("dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann", credentials: "MD"), password: Self.password, by: "test")
        try await book.add("dr.kim", role: .physician, person: try PersonName(family: "Kim", given: "Jo", credentials: "DO"), password: Self.password, by: "test")
        try await book.add("root.admin", role: .admin, person: nil, password: Self.password, by: "test")

        let day = Date(timeIntervalSince1970: 1_714_636_800)   // 2024-05-02
        var lumbar = try ProcedureSession(patientID: PatientID("P-1"), startedAt: day, physician: "dr.lee", tech: "sam",
                                          indication: "low back pain", treatment: TreatmentNumber(1, of: 4))
        lumbar.painScores = try PainScores(before: 7, after: 3)
        try await archive.add(lumbar)
        var second = try ProcedureSession(patientID: PatientID("P-1"), startedAt: day.addingTimeInterval(21 * 86_400), physician: "dr.lee",
                                          tech: "sam", indication: "low back pain", treatment: TreatmentNumber(2, of: 4))
        second.painScores = try PainScores(before: 5, after: 2)
        try await archive.add(second)
        let cervical = try ProcedureSession(patientID: PatientID("P-2"), startedAt: day, physician: "dr.kim", tech: "kim.tech",
                                            indication: "neck pain", treatment: TreatmentNumber(1, of: 6))
        try await archive.add(cervical)
        self.lumbar = lumbar
        self.cervical = cervical
        lumbarStills = [
            try await Self.still(archive, lumbar.id, time: 12, tag: "left L4-L5", structure: "facet-capsule", shade: 40),
            try await Self.still(archive, lumbar.id, time: 30, tag: "midline L5-S1", structure: "interspinous-ligament", shade: 90),
        ]
        cervicalStill = try await Self.still(archive, cervical.id, time: 5, tag: "right C5-C6", structure: "facet-capsule", shade: 140)
    }

    /// A 320x240 gray still with a gradient, so each has its own bytes.
    static func still(_ archive: SQLiteArchive, _ session: UUID, time: Double, tag: String, structure: String, shade: Int) async throws -> Still {
        var pixels = [UInt8](repeating: 0, count: 320 * 240)
        for y in 0..<240 { for x in 0..<320 { pixels[y * 320 + x] = UInt8((shade + x / 4 + y / 8) % 256) } }
        let png = try PNG.encode(try Image(width: 320, height: 240, format: .gray8, pixels: pixels))
        let site = SiteTag(site: try AnatomicSite(parsing: tag), structure: TargetStructure.ID(rawValue: structure))
        return try await archive.addStill(StillDraft(sessionID: session, time: time, tag: site, reason: .freeze, width: 320, height: 240,
                                                     colour: .gray), png: png)
    }

    func remove() { desk.remove() }
}

/// A signed-in browser as the tests see it: its cookie and CSRF token.
struct Login {
    var cookie: String
    var csrf: String
    /// Headers for a GET.
    var read: HTTPFields { [.cookie: "\(AuthMiddleware.cookieName)=\(cookie)"] }
    /// Headers for a change: the cookie and the page's token.
    var write: HTTPFields {
        var fields = read
        fields[HTTPField.Name("X-CSRF-Token")!] = csrf
        return fields
    }

    static func signIn(_ client: some TestClientProtocol, _ user: String, password: String = ReviewFixture.password) async throws -> Login? {
        let response = try await client.execute(uri: "/api/login", method: .post, headers: [:],
                                                body: ByteBuffer(string: #"{"user":"\#(user)","password":"\#(password)"}"#))
        guard response.status == .ok, let setCookie = response.headers[.setCookie] else { return nil }
        let cookie = String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
        return Login(cookie: cookie, csrf: try JSONDecoder().decode(AuthController.Me.self, from: Data(buffer: response.body)).csrfToken ?? "")
    }
}
