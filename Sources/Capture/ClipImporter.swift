import Anatomy
import Archive
import Crypto
import Foundation
import Media
import Records

/// Imports a scanner's exported clip as a completed session: the recording (copied
/// into the archive), the tech's tags, and a still for every freeze the scanner made,
/// each carrying the tag in force at its time.
///
/// All-or-nothing: the clip is read, checked and analysed before anything is written;
/// then the still files, the recording and all rows are stored, and a failure at that
/// point removes the files this import created.
public struct ClipImporter: Sendable {
    public struct Options: Sendable {
        public var patient: PatientID
        public var tags: [TagEvent]
        public var startedAt: Date
        public var treatment: TreatmentNumber
        public var physician: String
        public var tech: String
        /// Import even when a file with the same bytes was imported before.
        public var again: Bool
        /// Extra stills at these times (seconds), as if the tech had pressed snap.
        public var snapTimes: [Double]
        /// Freeze detection looks at most this many frames a second: 15 gives seven or
        /// more looks within a 0.5 s freeze (detection is tested down to 10), and keeps a
        /// 60 fps import close to the cost of decoding alone.
        public var analysisRate: Double
        /// The scanner's calibration when it exported one (mm per pixel): stored with the
        /// session in the same write, so needle depths show in mm from the first look.
        public var millimetresPerPixel: Double?

        public init(patient: PatientID, tags: [TagEvent] = [], startedAt: Date, treatment: TreatmentNumber,
                    physician: String, tech: String, again: Bool = false, snapTimes: [Double] = [], analysisRate: Double = 15,
                    millimetresPerPixel: Double? = nil) {
            self.patient = patient
            self.tags = tags
            self.startedAt = startedAt
            self.treatment = treatment
            self.physician = physician
            self.tech = tech
            self.again = again
            self.snapTimes = snapTimes
            self.analysisRate = analysisRate
            self.millimetresPerPixel = millimetresPerPixel
        }
    }

    public struct Report: Sendable {
        public var session: ProcedureSession
        public var stills: [Still]
        public var tags: Int
        public var counters: CaptureCounters
        public var video: VideoInfo
    }

    public let archive: any ArchiveStore

    public init(archive: any ArchiveStore) {
        self.archive = archive
    }

    /// - Throws: `MediaError` for a file that cannot be read as video (naming it and the
    ///   problem), `ArchiveError` for a patient that does not exist or a file already imported.
    @discardableResult
    public func importClip(_ path: String, options: Options,
                           progress: @escaping (ImportProgress) -> Void = { _ in }) async throws -> Report {
        let source = try MediaSource(.file(path))
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        guard try await archive.patient(options.patient) != nil else {
            throw ArchiveError(.notFound, "no patient \(options.patient): add the patient first", remedy: .addPatient)
        }
        let contentHash = try Self.hashFile(path)
        if !options.again, let earlier = try await archive.importedSession(contentHash: contentHash) {
            throw ArchiveError(.conflict, "\(fileName) was already imported as session \(earlier.uuidString.lowercased().prefix(8)): import it once more only on purpose",
                               remedy: .importAgain)
        }
        let sessionID = UUID()
        let recordingName = "recordings/\(sessionID.uuidString.lowercased()).\(Recorder.fileExtension(for: source.video, lossless: false))"
        let staging = archive.location.incoming.appendingPathComponent(sessionID.uuidString.lowercased() + ".recording")
        try FileManager.default.createDirectory(at: archive.location.incoming, withIntermediateDirectories: true)
        var analysis = try ClipAnalysis(source: source, recordingPath: staging.path, options: options, progress: progress)
        let stills: [StillFile]
        do {
            stills = try analysis.run(sessionID: sessionID)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        let timeline = TagTimeline(options.tags)
        let tagged = stills.map { still -> StillFile in
            var still = still
            still.draft.tag = timeline.tag(at: still.draft.time)?.tag
            return still
        }
        let duration = analysis.lastFrameTime
        var session = try ProcedureSession(id: sessionID, patientID: options.patient, startedAt: options.startedAt,
                                           physician: options.physician, tech: options.tech,
                                           region: options.tags.mostTaggedRegion,
                                           indication: "imported from \(fileName)", treatment: options.treatment,
                                           recording: try ArchivePath(recordingName))
        try session.transition(to: .completed, at: options.startedAt.addingTimeInterval(duration))
        let recording = archive.location.root.appendingPathComponent(recordingName)
        do {
            try FileManager.default.createDirectory(at: recording.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: staging, to: recording)
            let stored = try await archive.addImportedSession(session, tags: options.tags, stills: tagged,
                                                              source: options.again ? nil : (contentHash, fileName),
                                                              millimetresPerPixel: options.millimetresPerPixel)
            var counters = analysis.counters
            counters.stills = stored.count
            return Report(session: session, stills: stored, tags: options.tags.count, counters: counters, video: source.video)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            try? FileManager.default.removeItem(at: recording)
            throw error
        }
    }

    static func hashFile(_ path: String) throws -> ContentHash {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MediaError(.permissionDenied, "cannot be read", path: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return try ContentHash(digest: hasher.finalize())
    }
}
