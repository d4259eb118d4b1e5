import ArgumentParser
import Archive
import Foundation
import Records

/// `needlelog sessions list|show`.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List procedure sessions and show one with its tags and stills.",
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions, newest first.")

        @OptionGroup var archive: ArchiveOptions
        @Option(help: "Only this patient's sessions.") var patient: String?
        @Option(help: "recording, completed, interrupted or failed.") var status: String?
        @Option(help: "Most sessions to list.") var limit = 100
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            var filter = SessionFilter(limit: limit)
            if let patient { filter.patient = try PatientID(patient) }
            if let status {
                guard let value = ProcedureSession.Status(rawValue: status) else {
                    throw ValidationError("--status \"\(status)\" is not one of recording, completed, interrupted, failed")
                }
                filter.status = value
            }
            let summaries = try await archive.open(create: false).sessions(filter)
            if json {
                for summary in summaries { print(try JSONOutput.line(summary.session)) }
                return
            }
            var rows = [["session", "patient", "started", "treatment", "status", "stills", "region"]]
            rows += summaries.map { summary in
                let s = summary.session
                return [String(s.id.uuidString.lowercased().prefix(8)), s.patientID.value, DateArgument.format(s.startedAt),
                        s.treatment.description, s.status.rawValue, String(summary.stillCount), s.region?.rawValue ?? "-"]
            }
            print(TextTable(rows).rendered)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a session: record, tags and stills.")

        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "Session id (or its first characters, as `sessions list` shows).") var id: String
        @Flag(help: "JSON instead of text.") var json = false

        func run() async throws {
            let store = try await archive.open(create: false)
            let current = try await SessionLookup.find(id, in: store)
            let tags = try await store.tags(ofSession: current.id)
            let stills = try await store.stills(ofSession: current.id)
            // A signed record shows as signed, its addenda after it (as the pages and the report do).
            let signature = try await store.signature(ofSession: current.id)
            let addenda = try await store.addenda(ofSession: current.id)
            let session = signature.map { $0.record.applied(to: current) } ?? current
            if json {
                struct Shown: Encodable {
                    var session: ProcedureSession
                    var tags: [TagEvent]
                    var stills: [Still]
                    var signedBy: String?
                    var signedAt: Date?
                    var recordHash: String?
                    var addenda: [Addendum]
                }
                print(try JSONOutput.line(Shown(session: session, tags: tags, stills: stills, signedBy: signature?.signedBy,
                                                signedAt: signature?.signedAt, recordHash: signature?.contentHash.hexDigits, addenda: addenda)))
                return
            }
            print("session    \(session.id.uuidString.lowercased())")
            print("patient    \(session.patientID)")
            print("started    \(DateArgument.format(session.startedAt))   status \(session.status)\(session.statusReason.map { " (\($0))" } ?? "")")
            print("treatment  \(session.treatment)   physician \(session.physician)   tech \(session.tech)")
            if !session.indication.isEmpty { print("indication \(session.indication)") }
            if !session.notes.isEmpty { print("notes      \(session.notes)") }
            if let signature {
                print("signed     by \(signature.signedBy) at \(DateArgument.format(signature.signedAt))   sha256 \(signature.contentHash.hexDigits)")
            } else {
                print("signed     no")
            }
            for addendum in addenda {
                print("addendum \(addendum.number) by \(addendum.author) at \(DateArgument.format(addendum.createdAt)): \(addendum.reason)")
                for change in addendum.changes {
                    let still = change.still.map { " (still \($0.uuidString.lowercased().prefix(8)))" } ?? ""
                    print("           \(change.field)\(still): \(change.before) → \(change.after)")
                }
            }
            print("\ntags (\(tags.count))")
            var tagRows = [["time", "site", "structure", "by"]]
            tagRows += tags.map { [String(format: "%7.2f s", $0.time), $0.site.description, $0.structure?.rawValue ?? "-", $0.author] }
            print(TextTable(tagRows).rendered)
            print("\nstills (\(stills.count))")
            var stillRows = [["time", "tag", "reason", "size", "file"]]
            stillRows += stills.map { still in
                [String(format: "%7.2f s", still.time), still.tag?.description ?? "-", still.reason.rawValue,
                 "\(still.width)x\(still.height) \(still.colour.rawValue)", store.files.url(for: still.fileHash).path]
            }
            print(TextTable(stillRows).rendered)
        }
    }
}

/// Finds a session by its full id or a unique prefix of it.
enum SessionLookup {
    static func find(_ text: String, in store: any ArchiveStore) async throws -> ProcedureSession {
        if let id = UUID(uuidString: text), let session = try await store.session(id) { return session }
        let prefix = text.lowercased()
        guard prefix.count >= 4 else { throw ValidationError("session id \"\(text)\" is too short: give at least 4 characters") }
        let matches = try await store.sessions(SessionFilter(limit: 100_000)).map(\.session)
            .filter { $0.id.uuidString.lowercased().hasPrefix(prefix) }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw CommandError("no session \(text): `needlelog sessions list` shows the ids")
        default: throw CommandError("session id \(text) is ambiguous (\(matches.count) sessions): give more characters")
        }
    }
}
