import Archive
import Foundation
import Testing

/// `needlelog users` and `needlelog audit` as a clinic's admin runs them.
@Suite("the users and audit commands")
struct AccountCommandTests {
    /// Runs needlelog with `input` on standard input; returns the exit status and what it printed.
    func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcessTests.needlelog)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("add, refuse a weak password, disable, list; every change is in the verified audit trail")
    func users() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-users-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: root) }
        let archive = ["--archive", root.path]
        let nameless = try run(["users", "add", "dr.lee", "--role", "physician", "--password-stdin"] + archive, input: "a long enough secret\n")
        #expect(nameless.status != 0 && nameless.output.contains("give --family and --given"), "\(nameless.output)")
        let lee = ["--family", "Lee", "--given", "Ann", "--credentials", "MD"]
        let added = try run(["users", "add", "dr.lee", "--role", "physician", "--password-stdin"] + lee + archive, input: "a long enough secret\n")
        #expect(added.status == 0 && added.output.contains("added physician dr.lee (Ann Lee, MD)"), "\(added.output)")
        let weak = try run(["users", "add", "sam", "--role", "tech", "--family", "Rivera", "--given", "Sam", "--password-stdin"] + archive, input: "pw-xyzzy\n")
        #expect(weak.status != 0 && weak.output.contains("at least 10 characters"))
        let badRole = try run(["users", "add", "sam", "--role", "nurse", "--password-stdin"] + archive, input: "a long enough secret\n")
        #expect(badRole.status != 0 && badRole.output.contains("tech, physician or admin"))
        let badName = try run(["users", "add", "Dr Lee", "--role", "tech", "--password-stdin"] + archive, input: "a long enough secret\n")
        #expect(badName.status != 0 && badName.output.contains("lower-case letters"))
        let again = try run(["users", "add", "dr.lee", "--role", "physician", "--password-stdin"] + lee + archive, input: "a long enough secret\n")
        #expect(again.status != 0 && again.output.contains("exists already"))
        // An admin corrects the name; a DICOM delimiter in it is refused with the reason.
        let renamed = try run(["users", "name", "dr.lee", "--family", "Lee-Park", "--given", "Ann", "--credentials", "MD"] + archive)
        #expect(renamed.status == 0 && renamed.output.contains("dr.lee (Ann Lee-Park, MD)"), "\(renamed.output)")
        let caret = try run(["users", "name", "dr.lee", "--family", "Lee^Park", "--given", "Ann"] + archive)
        #expect(caret.status != 0 && caret.output.contains("which DICOM reserves in names"), "\(caret.output)")
        #expect(try run(["users", "disable", "dr.lee"] + archive).output.contains("dr.lee disabled"))
        let list = try run(["users", "list"] + archive).output
        #expect(list.contains("dr.lee") && list.contains("Ann Lee-Park, MD") && list.contains("disabled") && !list.contains("sam"), "\(list)")

        let store = try SQLiteArchive(location: ArchiveLocation(root: root), create: false)
        let account = try #require(try await store.account(named: "dr.lee"))
        #expect(account.passwordHash.hasPrefix("$2") && !account.passwordHash.contains("secret"))
        let verify = try run(["audit", "verify"] + archive)
        #expect(verify.status == 0 && verify.output.contains("intact"))
        let audit = try run(["audit", "list", "--json"] + archive).output
        #expect(audit.contains(#""action":"user-add""#) && audit.contains(#""detail":"disabled""#) && audit.contains(#""outcome":"failure""#))
        #expect(!audit.contains("xyzzy") && !audit.contains("secret"))
    }

    @Test("an export from the command line is in the audit trail, with the patient and the format")
    func exportAudited() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-export-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: root) }
        let archive = ["--archive", root.path]
        let clip = DeskFixture.sampleData.appendingPathComponent("lumbar-capture-640x480.mkv").path
        #expect(try run(["patients", "add", "P-7", "--family", "Doe", "--given", "Jane", "--born", "1970-01-02"] + archive).status == 0)
        // A record names people with accounts: none yet, so the import is refused, naming what to do.
        let nobody = try run(["import", clip, "--patient", "P-7", "--quiet"] + archive)
        #expect(nobody.status == 1 && nobody.output.contains("say which physician performs the procedure: no one yet"), "\(nobody.output)")
        #expect(try run(["users", "add", "dr.lee", "--role", "physician", "--family", "Lee", "--given", "Ann", "--password-stdin"] + archive,
                        input: "a long enough secret\n").status == 0)
        #expect(try run(["users", "add", "sam", "--role", "tech", "--family", "Rivera", "--given", "Sam", "--password-stdin"] + archive,
                        input: "a long enough secret\n").status == 0)
        let ghost = try run(["import", clip, "--patient", "P-7", "--tech", "ghost", "--quiet"] + archive)
        #expect(ghost.status == 1 && ghost.output.contains("ghost is not an account: the tech is one of sam (Sam Rivera)"), "\(ghost.output)")
        let wrongRole = try run(["import", clip, "--patient", "P-7", "--physician", "sam", "--quiet"] + archive)
        #expect(wrongRole.status == 1 && wrongRole.output.contains("sam is a tech, not a physician: the physician is one of dr.lee (Ann Lee)"), "\(wrongRole.output)")
        #expect(try run(["import", clip, "--patient", "P-7", "--quiet"] + archive).status == 0)
        // The library says what would be right; the command line adds the flag that does it.
        let again = try run(["import", clip, "--patient", "P-7", "--quiet"] + archive)
        #expect(again.status == 1 && again.output.contains("import it once more only on purpose (--again)"), "\(again.output)")
        let nowhere = try run(["sessions", "list", "--archive", root.appendingPathComponent("none").path])
        #expect(nowhere.status == 1 && nowhere.output.contains("choose the folder an archive is in (--archive DIR, or NEEDLELOG_ARCHIVE)"), "\(nowhere.output)")
        // De-identification needs masks that cover the scanner's burned-in text: the example profiles do for SampleData.
        let masks = DeskFixture.sampleData.deletingLastPathComponent().appendingPathComponent("tools/dicom-masks.example.json").path
        let exported = try run(["export", "png", "--patient", "P-7", "--deidentify", "--mask-file", masks,
                                "--out", root.appendingPathComponent("slides").path] + archive)
        #expect(exported.status == 0)
        let audit = try run(["audit", "list", "--patient", "P-7", "--json"] + archive).output
        #expect(audit.contains(#""action":"export""#) && audit.contains("png de-identified, 2 still(s)"))
        // The operating system's account name, not its number, whatever $USER says.
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        #expect(audit.contains("\"actor\":\"os:\(me)\""), "\(audit)")
    }
}
