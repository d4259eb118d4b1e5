import Archive
import Foundation
import Media
import Records

/// One file an export wrote.
public struct ExportedFile: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case image, presentationState, png
    }

    public var kind: Kind
    public var url: URL
    public var stillID: UUID
    /// The object's SOP Instance UID; empty for PNG files.
    public var sopInstanceUID: String
}

/// Turns still records into files in a folder: DICOM (an image per still and a
/// presentation state per needle) or PNG for slides, identified or de-identified.
///
/// DICOM files go to `FOLDER/<Study Instance UID>/US-<SOP Instance UID>.dcm` and
/// `PR-<...>.dcm`; the names come from the stable UIDs, so exporting again replaces
/// each file with identical bytes rather than adding copies.
public struct ExportWriter: Sendable {
    /// What a de-identified export does with the text burned into the pixels.
    public enum PixelCleaning: Sendable, Equatable {
        /// Blank it, and write only pictures whose every text region the masks cover
        /// (``MaskSettings/coverage(width:height:)``): Burned In Annotation NO.
        case required
        /// Leave the pixels as stored: Burned In Annotation YES, no Clean Pixel Data claimed
        /// (`--no-pixel-cleaning`, for a receiver that cleans pixels itself).
        case off
    }

    /// `nil` for an identified export.
    public var deidentifier: Deidentifier?
    /// Burned-in text to blank; used only when de-identifying.
    public var masks: MaskSettings
    public var pixelCleaning: PixelCleaning
    public var timeZone: TimeZone
    public var sequences: SequenceLength

    public init(deidentifier: Deidentifier? = nil, masks: MaskSettings = MaskSettings(), pixelCleaning: PixelCleaning = .required,
                timeZone: TimeZone = .current, sequences: SequenceLength = .defined) {
        self.deidentifier = deidentifier
        self.masks = masks
        self.pixelCleaning = pixelCleaning
        self.timeZone = timeZone
        self.sequences = sequences
    }

    /// The DICOM objects of one still: its image, and its needle (a grayscale or colour
    /// presentation state, as the still is) when one is drawn.
    public func dataSets(for record: StillRecord) -> (image: DataSet, presentationState: DataSet?) {
        guard let deidentifier else {
            return (UltrasoundImage.dataSet(for: record, timeZone: timeZone),
                    NeedlePresentationState.dataSet(for: record, timeZone: timeZone))
        }
        let masked = pixels(for: record)
        let image = UltrasoundImage.dataSet(for: record, timeZone: timeZone, pixels: masked)
        let state = NeedlePresentationState.dataSet(for: record, timeZone: timeZone)
        // Burned In Annotation NO only when every place the scanner writes was blanked.
        let cleaned = pixelCleaning == .required && masks.coverage(width: record.image.width, height: record.image.height).isCovered
        return (deidentifier.apply(to: image, pixelsCleaned: cleaned),
                state.map { deidentifier.apply(to: $0, pixelsCleaned: false) })
    }

    /// The pixels as exported: masked when de-identifying (unless pixel cleaning is
    /// off), as stored otherwise.
    public func pixels(for record: StillRecord) -> Image {
        guard deidentifier != nil, pixelCleaning == .required else { return record.image }
        return masks.mask(width: record.image.width, height: record.image.height).apply(to: record.image)
    }

    /// Refuses, before anything is written, a de-identified export of pictures whose
    /// burned-in text the masks do not cover: it would claim more than it did.
    ///
    /// - Throws: ``DICOMExportError`` `.invalid` naming each uncovered picture size, why,
    ///   and the ways out (a scanner profile, `--mask`, or `--no-pixel-cleaning`).
    public func requireCleanablePixels(_ records: [StillRecord]) throws(DICOMExportError) {
        guard deidentifier != nil, pixelCleaning == .required else { return }
        var uncovered: [(size: String, stills: Int, why: String)] = []
        for record in records {
            let (width, height) = (record.image.width, record.image.height)
            guard case .uncovered(let why) = masks.coverage(width: width, height: height) else { continue }
            let size = "\(width)x\(height)"
            if let index = uncovered.firstIndex(where: { $0.size == size }) {
                uncovered[index].stills += 1
            } else {
                uncovered.append((size, 1, why))
            }
        }
        guard !uncovered.isEmpty else { return }
        let reasons = uncovered.map { "\($0.stills) still(s) of \($0.size): \($0.why)" }.joined(separator: "; ")
        throw DICOMExportError(.invalid, "cannot de-identify the pixels honestly: \(reasons). Give a scanner profile for the picture (see tools/dicom-masks.example.json) or a rectangle for every place text appears; or export without cleaning the pixels, which leaves them as stored and says Burned In Annotation YES. Nothing was written.",
                               remedy: .coverBurnedInText)
    }

    /// Writes every record's DICOM objects under `folder`.
    /// - Throws: ``DICOMExportError`` `.invalid` (before writing anything) when
    ///   de-identifying pictures the masks do not cover (``requireCleanablePixels(_:)``);
    ///   `.storage` when the folder or a file cannot be written; files finished before
    ///   the failure stay, none is left half-written.
    public func writeDICOM(_ records: [StillRecord], to folder: URL) throws(DICOMExportError) -> [ExportedFile] {
        try requireCleanablePixels(records)
        try prepare(folder)
        var written: [ExportedFile] = []
        for record in records {
            let (image, state) = dataSets(for: record)
            written.append(try write(image, kind: .image, prefix: "US", still: record.still.id, under: folder))
            if let state {
                written.append(try write(state, kind: .presentationState, prefix: "PR", still: record.still.id, under: folder))
            }
        }
        return written
    }

    /// Writes every record as a PNG under `folder`, named by session order and tag
    /// (`003-L5-S1-right-facet-capsule.png`), never by patient. The PNG carries no
    /// text chunks, so nothing identifying rides along in its metadata.
    public func writePNG(_ records: [StillRecord], to folder: URL) throws(DICOMExportError) -> [ExportedFile] {
        try requireCleanablePixels(records)
        try prepare(folder)
        var written: [ExportedFile] = []
        for record in records {
            let data: Data
            do { data = try PNG.encode(pixels(for: record)) } catch {
                throw DICOMExportError(.storage, "cannot encode still \(record.still.id.uuidString.lowercased()) as PNG: \(error)")
            }
            let url = folder.appendingPathComponent(pngName(record))
            try AtomicFile.write(data, to: url)
            written.append(ExportedFile(kind: .png, url: url, stillID: record.still.id, sopInstanceUID: ""))
        }
        return written
    }

    private func pngName(_ record: StillRecord) -> String {
        var parts = [String(format: "%03d", record.instanceNumber)]
        if deidentifier == nil { parts.insert(String(record.session.id.uuidString.lowercased().prefix(8)), at: 0) }
        if let tag = record.still.tag {
            var site = tag.site
            let side = site.laterality
            site.laterality = nil
            parts += [site.description, side?.rawValue, tag.structure?.rawValue].compactMap(\.self)
        }
        let name = parts.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }
        return String(name) + ".png"
    }

    private func write(_ set: DataSet, kind: ExportedFile.Kind, prefix: String, still: UUID,
                       under folder: URL) throws(DICOMExportError) -> ExportedFile {
        let file = PartTenFile(dataSet: set)
        let data: Data
        do { data = try file.encoded(sequences: sequences) } catch {
            throw DICOMExportError(.invalid, "cannot encode still \(still.uuidString.lowercased()): \(error)")
        }
        let study = set.text(.studyInstanceUID) ?? "study"
        let url = folder.appendingPathComponent(study, isDirectory: true)
            .appendingPathComponent("\(prefix)-\(file.sopInstanceUID).dcm")
        try AtomicFile.write(data, to: url)
        return ExportedFile(kind: kind, url: url, stillID: still, sopInstanceUID: file.sopInstanceUID)
    }

    private func prepare(_ folder: URL) throws(DICOMExportError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw DICOMExportError(.storage, "the output \(folder.path) is a file, not a folder: choose a folder (it is created if missing)", remedy: .chooseOutputFolder)
        }
        do {
            // A folder the export makes is the owner's alone; one that exists stays as it is.
            try OwnerOnly.createFolder(folder)
        } catch {
            throw DICOMExportError(.storage, "cannot create the output folder \(folder.path): \(AtomicFile.reason(error, creating: folder)); choose a folder you can write to",
                                   remedy: .chooseOutputFolder)
        }
        guard access(folder.path, W_OK) == 0 else {
            throw DICOMExportError(.storage, "cannot write in the output folder \(folder.path): \(String(cString: strerror(errno))); choose a folder you can write to",
                                   remedy: .chooseOutputFolder)
        }
    }
}
