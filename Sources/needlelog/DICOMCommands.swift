import ArgumentParser
import DICOMNetwork
import Foundation

/// `needlelog dicom ...`: NeedleLog as a DICOM application entity on the clinic's network.
struct DICOMCommandGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Talk DICOM (DIMSE) to a PACS, RIS or worklist server.",
        subcommands: [EchoDICOMCommand.self]
    )
}

/// `needlelog dicom echo AE@HOST:PORT [--ae-title NEEDLELOG] [--timeout S]`.
struct EchoDICOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Check that a DICOM peer answers (C-ECHO): the first thing to try when setting up a PACS or worklist.",
        discussion: "Opens an association as --ae-title, asks for verification, and releases it; prints the time it took and the peer's implementation."
    )

    @Argument(help: "The peer: its AE title, host and port, e.g. ORTHANC@127.0.0.1:4242.") var peer: String
    @Option(help: "NeedleLog's own AE title, as the peer knows it.") var aeTitle = "NEEDLELOG"
    @Option(help: "Seconds to wait for each step (connect, accept, answer, release).") var timeout = 10.0

    func validate() throws {
        guard timeout >= 0.1, timeout <= 600 else { throw ValidationError("--timeout must be 0.1-600 seconds") }
    }

    func run() async throws {
        let entity: ApplicationEntity
        do {
            entity = try ApplicationEntity(parsing: peer)
        } catch {
            throw ValidationError("\(error)")
        }
        let started = ContinuousClock.now
        do {
            let implementation = try await Association.run(to: entity, callingTitle: aeTitle, services: [PresentationService(PresentationService.verification)],
                                                           timeout: .milliseconds(Int(timeout * 1000))) { association in
                try await association.echo()
                return association.peerImplementation
            }
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            print(String(format: "%@ answered C-ECHO in %.0f ms", entity.description, ms) + (implementation.isEmpty ? "" : " (\(implementation))"))
        } catch let error as DICOMNetworkError {
            throw CommandError("dicom echo: \(error)")
        }
    }
}
