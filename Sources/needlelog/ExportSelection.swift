import ArgumentParser
import Archive
import DICOMExport
import Foundation
import Records
import Workflows

/// Which stills to export: a whole session, or what a search finds (same options as `search`).
struct ExportSelection: ParsableArguments {
    @Option(help: "A session id (or a unique prefix of at least 4 characters): every still of it.") var session: String?
    @OptionGroup var filters: SearchFilterOptions
    @Option(help: "Most stills a search exports.") var limit = 1000
    @Option(help: "Image scale for stills whose needle gives none, in mm per pixel (DICOM gets it as Physical Delta X/Y in cm).")
    var mmPerPixel: Double?

    func validate() throws {
        if session == nil && filters.isEmpty {
            throw ValidationError("say which stills: --session ID for a whole session, or a search such as `L5-S1 --patient NL0042-7731`")
        }
        if session != nil && !filters.isEmpty { throw ValidationError("give --session or a search, not both") }
        if let mmPerPixel, !(mmPerPixel > 0 && mmPerPixel <= 10) {
            throw ValidationError("--mm-per-pixel must be more than 0 and at most 10, not \(mmPerPixel)")
        }
    }

    /// The records to export, read from the archive with each still's current needle.
    func records(in export: StillExport) async throws -> [StillRecord] {
        if let session {
            let found = try await SessionLookup.find(session, in: export.archive)
            return try await export.records(.session(found.id), millimetresPerPixel: mmPerPixel)
        }
        do {
            return try await export.records(.search(try filters.search(limit: limit)), millimetresPerPixel: mmPerPixel)
        } catch let error as WorkflowError where error.kind == .notFound {
            throw CommandError(error.message + ": try `needlelog search` with the same options")
        }
    }
}

/// `--deidentify` and how burned-in text is found, for `export dicom` and `export png`.
struct DeidentifyOptions: ParsableArguments {
    @Flag(help: "Teaching export: PS3.15 Basic Profile on the header, burned-in text masked in the pixels (needs a scanner profile from --mask-file or --mask rectangles that cover each picture).")
    var deidentify = false
    @Flag(name: .customLong("no-pixel-cleaning"), help: "With --deidentify: leave the pixels as stored (burned-in text stays; DICOM says Burned In Annotation YES), for a receiver that cleans pixels itself.")
    var noPixelCleaning = false
    @Option(help: ArgumentHelp("Secret that makes de-identified UIDs and pseudonyms repeat across exports (default: $NEEDLELOG_DEID_SALT, else random per export).",
                               valueName: "text"))
    var salt: String?
    @Option(help: ArgumentHelp("Rows blanked at the top of every still (default: a tenth of the height, at least 48).", valueName: "rows"))
    var headerBand: Int?
    @Option(help: ArgumentHelp("Another rectangle to blank, in pixels; repeat for more.", valueName: "x,y,w,h")) var mask: [String] = []
    @Option(help: ArgumentHelp("JSON file of scanner profiles: {\"scanners\": [{\"name\", \"width\", \"height\", \"headerBand\", \"rectangles\": [{\"x\",\"y\",\"width\",\"height\"}]}]}.",
                               valueName: "file"))
    var maskFile: String?
    @Option(help: "The profile of --mask-file to use (default: the one whose width and height match the still).") var scanner: String?

    func validate() throws {
        if !deidentify && (salt != nil || headerBand != nil || !mask.isEmpty || maskFile != nil || scanner != nil || noPixelCleaning) {
            throw ValidationError("--salt, --header-band, --mask, --mask-file, --scanner and --no-pixel-cleaning apply to --deidentify exports only")
        }
        if noPixelCleaning && (headerBand != nil || !mask.isEmpty || maskFile != nil || scanner != nil) {
            throw ValidationError("--no-pixel-cleaning leaves the pixels as stored, so --header-band, --mask, --mask-file and --scanner would do nothing: drop them, or drop --no-pixel-cleaning to blank the burned-in text")
        }
        if scanner != nil && maskFile == nil { throw ValidationError("--scanner names a profile of --mask-file: give the file too") }
        if let headerBand, headerBand < 0 { throw ValidationError("--header-band must be 0 rows or more, not \(headerBand)") }
    }

    /// The writer for these options, or the identified one.
    func writer() throws -> ExportWriter {
        guard deidentify else { return ExportWriter() }
        let rectangles = try mask.map { try BurnedInTextMask.Rectangle(parsing: $0) }
        let scanners = try maskFile.map { try MaskSettings.scanners(fromFile: $0) } ?? []
        let settings = MaskSettings(scanners: scanners, scanner: scanner, headerBand: headerBand, rectangles: rectangles)
        try settings.validate()
        let salt = self.salt ?? ProcessInfo.processInfo.environment["NEEDLELOG_DEID_SALT"]
        return ExportWriter(deidentifier: Deidentifier(salt: salt), masks: settings, pixelCleaning: noPixelCleaning ? .off : .required)
    }
}
