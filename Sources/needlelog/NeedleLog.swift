import ArgumentParser

/// The `needlelog` command: one subcommand per file, thin over the library modules.
@main
struct NeedleLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needlelog",
        abstract: "Records ultrasound-guided spine injection sessions: video, stills, tags and needle placement.",
        subcommands: [
            PatientsCommand.self, SessionsCommand.self, ImportCommand.self, RecordCommand.self, SearchCommand.self, VerifyCommand.self,
            DaemonCommand.self, StartCommand.self, TagCommand.self, SnapCommand.self, StopCommand.self, StatusCommand.self,
            ProbeCommand.self, StillCommand.self, UsersCommand.self, AuditCommand.self, ExportCommand.self,
        ]
    )
}
