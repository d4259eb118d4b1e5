import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

// The name ends in LiveCaptureTests so tools/test runs it with the real-time suites, alone.
/// One analysis pipeline (`AnalysisPipeline`) behind import and live capture: the same clip
/// imported from its file and recorded from a pipe paced in real time, at the same analysis
/// rate, gives the same stills from the same pictures.
@Suite("one analysis pipeline: a clip imported and the same clip live", .serialized)
struct AnalysisPipelineLiveCaptureTests {
    @Test("freeze stills from the same pictures, counters alike, whichever way the clip came",
          arguments: ["lumbar-capture-640x480", "thoracic-frc-640x480"])
    func fileAndPipe(name: String) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth(name)
        let rate = 15.0
        // The same pictures as a capture card streams them: Matroska, imported as a file and
        // fed to a FIFO at the clip's pace.
        let streamed = f.root.deletingLastPathComponent().appendingPathComponent("stream-\(UUID().uuidString).mkv").path
        defer { unlink(streamed) }
        try FFmpegCLI.run(["-i", ImportFixture.clip(truth), "-c", "copy", "-f", "matroska", "-y", streamed])
        var options = try f.options(truth)
        options.analysisRate = rate
        let imported = try await ClipImporter(archive: f.archive).importClip(streamed, options: options)
        let fifo = f.root.appendingPathComponent("card.fifo").path
        _ = try PacedFeeder(clip: streamed, fifo: fifo, duration: truth.durationSeconds)
        let session = try ProcedureSession(patientID: try PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                           treatment: try TreatmentNumber(1, of: 4))
        let capture = try await LiveCapture(configuration: .init(input: .pipe(fifo, format: "matroska"), analysisRate: rate),
                                            archive: f.archive, session: session)
        await capture.waitUntilEnded()
        #expect(capture.session.status == .completed, "\(capture.session.statusReason ?? "")")

        func freezeFrames(_ id: UUID) async throws -> [Int] {
            try await f.archive.stills(ofSession: id).filter { $0.reason == .freeze }.compactMap(\.sourceFrame).sorted()
        }
        let fromFile = try await freezeFrames(imported.session.id)
        let fromPipe = try await freezeFrames(capture.session.id)
        #expect(fromFile.count == truth.freezes.count, "import: \(fromFile) for \(truth.freezes.count) freezes")
        for (frame, freeze) in zip(fromFile, truth.freezes) { #expect((freeze.firstFrame...freeze.lastFrame).contains(frame)) }
        let file = imported.counters, pipe = capture.counters
        // Import lets the decoder drop non-reference pictures it would thin anyway (H.264); live decodes all.
        #expect(file.framesDecoded + file.framesNotDecoded == truth.frameCount && pipe.framesDecoded == truth.frameCount, "\(file)")
        #expect(file.framesThinned + file.framesAnalysed == file.framesDecoded)
        #expect(pipe.framesThinned + pipe.framesAnalysed + pipe.framesSkipped == pipe.framesDecoded)
        // Live, a stream is timed from its first packet's decode time. For intra-only MJPEG
        // that is the first picture's time, as in the file, and the pipeline sees the very same
        // times. H.264 with reordered frames decodes its first picture a frame or two after its
        // first packet: every time is shifted by that much, thinning runs at another phase and
        // may pick a neighbouring picture.
        let slack = truth.codec == "mjpeg" ? 0 : 1
        for (live, file) in zip(fromPipe, fromFile) { #expect(abs(live - file) <= slack, "live \(fromPipe), import \(fromFile)") }
        #expect(fromPipe.count == fromFile.count, "live \(fromPipe), import \(fromFile)")
        if pipe.framesSkipped == 0 {
            #expect(abs(pipe.framesAnalysed - file.framesAnalysed) <= slack && pipe.duplicateStills == file.duplicateStills)
        }
        print("\(name): import analysed \(file.framesAnalysed), freezes at \(fromFile); live analysed \(pipe.framesAnalysed), skipped \(pipe.framesSkipped), freezes at \(fromPipe)")
    }
}
