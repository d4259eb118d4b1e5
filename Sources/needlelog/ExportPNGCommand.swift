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

    @OptionGroup var job: ExportJob

    func run() async throws {
        guard let files = try await job.run(.png) else { return }
        let how = !job.deidentification.deidentify ? ""
            : job.deidentification.noPixelCleaning ? ", NOT masked (--no-pixel-cleaning: burned-in text left in)," : ", masked,"
        print("wrote \(files.count) PNG file(s)\(how) to \(job.out)")
    }
}
