import ArgumentParser
import Archive
import Foundation
import Records
import Workflows

/// `needlelog users add|passwd|disable|enable|list`: the accounts that sign in to the pages.
///
/// Run on the archive's machine by someone who can write the archive, so the OS user
/// is the actor in the audit trail.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, change and list the accounts that sign in to the review and tech pages.",
        subcommands: [Add.self, Name.self, Passwd.self, Disable.self, Enable.self, List.self]
    )

    /// The person an account is, as records, pages and DICOM name them.
    struct PersonOptions: ParsableArguments {
        @Option(help: "Family name, as records and DICOM show it (Lee).") var family: String?
        @Option(help: "Given name (Ann).") var given: String?
        @Option(help: "Credentials shown after the name, such as MD or RDMS.") var credentials: String?

        /// nil when neither name is given.
        func person() throws -> PersonName? {
            guard family != nil || given != nil || credentials != nil else { return nil }
            guard let family, let given else {
                throw ValidationError("give both --family and --given: records and DICOM name the person by both")
            }
            return try PersonName(family: family, given: given, credentials: credentials ?? "")
        }
    }

    /// How the password arrives: prompted without echo, or one line on standard input for scripts.
    struct PasswordOptions: ParsableArguments {
        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
        var fromStandardInput = false

        func read(for name: String) throws -> String {
            if fromStandardInput {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw CommandError("no password on standard input: pipe one line, e.g. printf '%s\\n' \"$PASSWORD\" | needlelog users add ...")
                }
                return line
            }
            guard isatty(STDIN_FILENO) != 0 else {
                throw CommandError("standard input is not a terminal: pass --password-stdin to read the password from it")
            }
            let first = String(cString: getpass("Password for \(name): "))
            let second = String(cString: getpass("Again: "))
            guard first == second else { throw CommandError("the two passwords differ; nothing was changed") }
            return first
        }
    }

    /// Who ran the command, as the operating system knows them: the account's name from the
    /// password database (`os:root`, not `os:0`; `$USER` can be anything the caller sets),
    /// the number only when the uid has no entry.
    static var actor: String {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "os:\(uid)" }
        return "os:" + String(cString: name)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account.")
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "User name: lower-case letters, digits, '.', '_' or '-' (dr.lee).") var name: String
        @Option(help: "tech, physician or admin.") var role: String
        @OptionGroup var person: PersonOptions
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            guard let role = Account.Role(rawValue: role.lowercased()) else {
                throw ValidationError("--role \(role) is not a role: tech, physician or admin")
            }
            try Account.checkName(name)
            let who = try person.person()
            if who == nil && role != .admin {
                throw ValidationError("a \(role.rawValue) is named on records: give --family and --given (and --credentials if shown)")
            }
            let book = AccountBook(archive: try await archive.open(create: true))
            let account = try await book.add(name, role: role, person: who, password: try password.read(for: name), by: UsersCommand.actor)
            print("added \(role.rawValue) \(account.label)")
        }
    }

    struct Name: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the family and given name (and credentials) records show for an account.")
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "User name.") var name: String
        @OptionGroup var person: PersonOptions

        func run() async throws {
            guard let who = try person.person() else {
                throw ValidationError("give --family and --given (and --credentials if shown)")
            }
            let account = try await AccountBook(archive: try await archive.open(create: false)).change(name, person: who, by: UsersCommand.actor)
            print("\(account.label)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password.")
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "User name.") var name: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let book = AccountBook(archive: try await archive.open(create: false))
            try await book.change(name, password: try password.read(for: name), by: UsersCommand.actor)
            print("password of \(name) changed")
        }
    }

    /// The account `disable` and `enable` act on.
    struct Named: ParsableArguments {
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "User name.") var name: String

        func set(disabled: Bool) async throws {
            try await AccountBook(archive: try await archive.open(create: false)).change(name, disabled: disabled, by: UsersCommand.actor)
            print("\(name) \(disabled ? "disabled" : "enabled")")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an account from signing in (it stays in the audit trail).")
        @OptionGroup var account: Named
        func run() async throws { try await account.set(disabled: true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled account sign in again.")
        @OptionGroup var account: Named
        func run() async throws { try await account.set(disabled: false) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var archive: ArchiveOptions

        func run() async throws {
            let accounts = try await archive.open(create: false).accounts()
            guard !accounts.isEmpty else {
                print("no accounts: add one with needlelog users add NAME --role physician --family F --given G")
                return
            }
            var rows = [["user", "name", "role", "state", "added"]]
            rows += accounts.map {
                [$0.name, $0.person?.display ?? "(no name: needlelog users name \($0.name) --family F --given G)", $0.role.rawValue,
                 $0.disabled ? "disabled" : "active", DateArgument.format($0.createdAt)]
            }
            print(TextTable(rows).rendered)
        }
    }
}
