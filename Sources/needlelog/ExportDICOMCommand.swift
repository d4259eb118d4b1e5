import ArgumentParser
import DICOMExport
import Foundation
import Workflows

/// `needlelog export dicom (--session ID | QUERY ...) --out DIR [--deidentify ...]`.
struct ExportDICOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Write stills as DICOM US images, and drawn needles as presentation states, into a folder.",
        discussion: """
            Files go to DIR/<Study Instance UID>/US-<SOP Instance UID>.dcm (images) and PR-<...>.dcm \
            (needles: a grayscale presentation state on grey stills, a colour one with an sRGB profile on \
            RGB stills); one study per session. Each file is written whole or not at all.
            """
    )

    @OptionGroup var job: ExportJob

    func run() async throws {
        guard let files = try await job.run(.dicom) else { return }
        let images = files.filter { $0.kind == .image }.count, states = files.filter { $0.kind == .presentationState }.count
        let folders = Set(files.map { $0.url.deletingLastPathComponent().path }).sorted()
        let how = !job.deidentification.deidentify ? ""
            : job.deidentification.noPixelCleaning ? ", de-identified in the header only (burned-in text left in the pixels)," : ", de-identified,"
        print("wrote \(images) image(s) and \(states) needle presentation state(s)\(how) to \(folders.joined(separator: ", "))")
    }
}

/// What `export dicom` and `export png` share: which stills, how, where to, and the audit.
struct ExportJob: ParsableArguments {
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var selection: ExportSelection
    @OptionGroup var deidentification: DeidentifyOptions
    @Option(help: ArgumentHelp("Folder to write into; created if missing.", valueName: "dir")) var out: String
    @Flag(help: "One JSON object per file written.") var json = false

    /// Writes the selected stills (the export goes into the audit trail as the OS user's), and
    /// prints a JSON line per file when asked (then returns nil: there is nothing more to say).
    func run(_ format: StillExport.Format) async throws -> [ExportedFile]? {
        let writer = try deidentification.writer()
        let export = StillExport(archive: try await archive.open(create: false))
        let records = try await selection.records(in: export)
        let files = try await export.write(records, as: format, with: writer, to: URL(fileURLWithPath: out), by: UsersCommand.actor)
        guard json else { return files }
        for file in files { print(try JSONOutput.line(ExportedLine(file))) }
        return nil
    }
}

/// A written file as `--json` prints it.
struct ExportedLine: Encodable {
    var kind: String, file: String, still: String, sopInstanceUID: String?

    init(_ file: ExportedFile) {
        kind = file.kind.rawValue
        self.file = file.url.path
        still = file.stillID.uuidString.lowercased()
        sopInstanceUID = file.sopInstanceUID.isEmpty ? nil : file.sopInstanceUID
    }
}
