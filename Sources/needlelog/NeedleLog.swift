import ArgumentParser
import Archive
import Media

/// The `needlelog` command: one subcommand per file, thin over the library modules.
@main
struct NeedleLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needlelog",
        abstract: "Records ultrasound-guided spine injection sessions: video, stills, tags and needle placement.",
        subcommands: [
            PatientsCommand.self, SessionsCommand.self, ImportCommand.self, RecordCommand.self, SearchCommand.self, VerifyCommand.self,
            DaemonCommand.self, StartCommand.self, TagCommand.self, SnapCommand.self, StopCommand.self, StatusCommand.self,
            ProbeCommand.self, StillCommand.self, UsersCommand.self, AuditCommand.self, ExportCommand.self, BackupCommand.self,
            RestoreCommand.self, NeedleCommand.self, MigrateCommand.self, VoiceCommandGroup.self, DICOMCommandGroup.self, WorklistCommand.self,
        ]
    )

    /// Every file and folder the daemon and the commands create (FFmpeg's recordings
    /// included) is the owner's alone, whatever the umask of the shell that started it.
    static func main() async {
        MemoryPolicy.apply()
        OwnerOnly.restrictProcessUmask()
        do {
            var command = try parseAsRoot(nil)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: CommandLineWords.error(error))
        }
    }
}
