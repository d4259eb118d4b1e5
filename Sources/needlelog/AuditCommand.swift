import ArgumentParser
import Archive
import Foundation

/// `needlelog audit verify|list`: the audit trail's hash chain and its events.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail's hash chain, or list who did what.",
        subcommands: [Verify.self, List.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain: exit 2 when an event was edited or deleted.")
        @OptionGroup var archive: ArchiveOptions

        func run() async throws {
            let report = try await archive.open(create: false).verifyAudit()
            if report.isIntact {
                print("audit trail intact: \(report.events) event(s), hash chain verified")
                return
            }
            for problem in report.problems { print("problem: \(problem)") }
            print("audit trail BROKEN: \(report.problems.count) problem(s) in \(report.events) event(s)")
            throw ExitCode(2)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events, newest first.")
        @OptionGroup var archive: ArchiveOptions
        @Option(help: "Only events about this patient.") var patient: String?
        @Option(help: "Most events.") var limit = 100
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            let events = try await archive.open(create: false).auditEvents(patient: patient, limit: limit)
            if json {
                for event in events { print(try JSONOutput.line(event)) }
                return
            }
            guard !events.isEmpty else {
                print(patient.map { "no events about patient \($0)" } ?? "the audit trail is empty")
                return
            }
            var rows = [["#", "when", "who", "action", "target", "outcome", "detail"]]
            rows += events.map {
                [String($0.seq), DateArgument.format($0.at, seconds: true), $0.actor, $0.action, $0.target, $0.outcome.rawValue, $0.detail]
            }
            print(TextTable(rows).rendered)
        }
    }
}
