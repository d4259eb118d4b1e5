import ArgumentParser
import DICOMExport
import Foundation

/// `needlelog export png (--session ID | QUERY ...) --out DIR [--deidentify ...]`: stills for slides.
struct ExportPNGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "png",
        abstract: "Write stills as PNG files for slides; with --deidentify, burned-in text is masked.",
        discussion: """
            Files are named by their place in the session and their tag (003-L5-S1-right-facet-capsule.png), \
            with the session id in front unless de-identified. They carry no text chunks.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var selection: ExportSelection
    @OptionGroup var deidentification: DeidentifyOptions
    @Option(help: ArgumentHelp("Folder to write into; created if missing.", valueName: "dir")) var out: String
    @Flag(help: "One JSON object per file written.") var json = false

    func run() async throws {
        let writer = try deidentification.writer()
        let store = try archive.open(create: false)
        let records = try await selection.records(in: store)
        let files = try writer.writePNG(records, to: URL(fileURLWithPath: out))
        try await ExportAudit.record(records, format: "png", deidentified: deidentification.deidentify, files: files.count, in: store)
        if json {
            for file in files { print(try JSONOutput.line(ExportedLine(file))) }
            return
        }
        print("wrote \(files.count) PNG file(s)\(deidentification.deidentify ? ", masked," : "") to \(out)")
    }
}
