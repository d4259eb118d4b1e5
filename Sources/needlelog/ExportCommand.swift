import ArgumentParser

/// `needlelog export dicom|png|push`: stills out to a PACS or a slide deck.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export stills as DICOM (with the needle as a presentation state) or PNG, and push DICOM to a PACS.",
        discussion: """
            export dicom writes one US Image per still and a Grayscale Softcopy Presentation State per \
            drawn needle. UIDs are derived from NeedleLog's ids, so exporting or pushing again adds no \
            duplicates. --deidentify makes a teaching export: PS3.15 Basic Profile on the header and the \
            burned-in header band (plus any --mask rectangles) blacked out in the pixels.
            """,
        subcommands: [ExportDICOMCommand.self, ExportVideoCommand.self, ExportPNGCommand.self, ExportPushCommand.self]
    )
}
