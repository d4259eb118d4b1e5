import Capture
import Media
import Testing

@Suite("Freezing the scanner takes one still per freeze")
struct FreezeDetectorTests {
    // MARK: - SampleData clips

    @Test("every freeze in a clip yields exactly one still, confirmed inside the freeze",
          arguments: try SampleClip.all())
    func oneEventPerFreeze(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        #expect(analysis.times.count == clip.frameCount)
        expectOneEventPerFreeze(analysis.everyFrame, in: analysis, feeding: "every frame")
    }

    @Test("a freeze is reported from its first frozen frame, half a second later",
          arguments: try SampleClip.all())
    func reportedFromTheFirstFrozenFrame(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        let frameTime = 1 / Double(clip.framesPerSecond)
        for (event, freeze) in zip(analysis.everyFrame, clip.freezes) {
            #expect(analysis.frame(at: event.startTime) == freeze.firstFrame)
            #expect(event.confirmedTime - event.startTime >= 0.5 - 0.001)
            #expect(event.confirmedTime - event.startTime < 0.5 + frameTime)
        }
    }

    @Test("an analysis stage that skips every other frame finds the same freezes",
          arguments: try SampleClip.all())
    func everyOtherFrame(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        expectOneEventPerFreeze(analysis.everyOtherFrame, in: analysis, feeding: "every other frame")
        for (event, freeze) in zip(analysis.everyOtherFrame, clip.freezes) {
            // The first frame it saw of the freeze: the first or the second.
            #expect(analysis.frame(at: event.startTime) <= freeze.firstFrame + 1)
        }
    }

    @Test("an analysis stage that skips bursts of frames finds the same freezes",
          arguments: try SampleClip.all())
    func irregularSkips(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        expectOneEventPerFreeze(analysis.irregularFrames, in: analysis, feeding: "irregular frames")
    }

    @Test("block means straight off the decoder's luma plane find the same freezes",
          arguments: try SampleClip.all())
    func lumaGrids(clip: SampleClip) async throws {
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        expectOneEventPerFreeze(analysis.lumaGrids, in: analysis, feeding: "LumaGrid")
    }

    @Test("frame-rate conversion that repeats a frame is not a freeze")
    func repeatedFramesAreNotFreezes() async throws {
        let clip = try SampleClip.named("thoracic-frc-640x480")
        try #require(clip.duplicateFrames.count > 10)
        let analysis = try await SampleClipCache.shared.analysis(of: clip)
        let outsideFreezes = clip.duplicateFrames.filter { d in !clip.freezes.contains { $0.frames.contains(d) } }
        #expect(outsideFreezes.count >= 40)
        // Every event is one of the clip's single real freeze.
        #expect(analysis.everyFrame.count == clip.freezes.count)
        for event in analysis.everyFrame {
            #expect(clip.freezes.contains { $0.frames.contains(analysis.frame(at: event.startTime)) })
        }
    }

    // MARK: - Synthetic screens

    @Test("burned-in text that keeps ticking during a freeze does not break it")
    func tickingTextDoesNotBreakAFreeze() {
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        var events: [FreezeEvent] = []
        // 2 s live, 3 s frozen with the counter and clock ticking, 2 s live, 2 s frozen.
        for index in 0..<270 {
            let time = Double(index) / 30
            let frozen = (60..<150).contains(index) || (210..<270).contains(index)
            if let event = detector.process(screen.next(frozen: frozen, frame: index), time: time) {
                events.append(event)
            }
        }
        #expect(events.map { Int(($0.startTime * 30).rounded()) } == [60, 210])
        #expect(events.map { Int(($0.confirmedTime * 30).rounded()) } == [75, 225])
    }

    @Test("a pause shorter than half a second is not a freeze")
    func shortPauseIsNotAFreeze() {
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        var events = 0
        for index in 0..<150 {
            let frozen = (60..<72).contains(index) // 0.4 s
            if detector.process(screen.next(frozen: frozen, frame: index), time: Double(index) / 30) != nil { events += 1 }
        }
        #expect(events == 0)
    }

    @Test("the freeze's length is measured in seconds, whatever the frame rate")
    func timestampsNotFrameCounts() {
        // 10 frames per second: half a second is five frames after the first frozen one.
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        var events: [FreezeEvent] = []
        for index in 0..<60 {
            if let event = detector.process(screen.next(frozen: index >= 30, frame: index), time: Double(index) / 10) {
                events.append(event)
            }
        }
        #expect(events == [FreezeEvent(startTime: 3.0, confirmedTime: 3.5)])
    }

    @Test("a long freeze with codec noise bursts stays one freeze")
    func noiseBurstsDoNotSplitAFreeze() {
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        var events = 0
        var maximumChange = 0.0
        for index in 0..<600 {
            let frozen = index >= 60
            // A keyframe every 2 s re-encodes the frozen picture.
            let image = screen.next(frozen: frozen, frame: index, keyframe: index % 60 == 0)
            if detector.process(image, time: Double(index) / 30) != nil { events += 1 }
            if frozen && index % 60 == 0 { maximumChange = max(maximumChange, detector.lastMeasurement?.changedFraction ?? 0) }
        }
        #expect(events == 1)
        #expect(detector.isFrozen)
        // The keyframes did move more of the picture than a still frame may, and yet
        // stayed close to the frozen picture, which is what kept the freeze whole.
        #expect(maximumChange > FreezeDetector.Configuration().maximumChangedFraction)
    }

    @Test("a recording started on a frozen image gives exactly one still once it has held half a second, and re-arms when live")
    func frozenFromTheStart() {
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        var events: [FreezeEvent] = []
        // 3 s frozen from the first frame (counter and clock ticking), 2 s live, 2 s frozen.
        for index in 0..<210 {
            let frozen = index < 90 || index >= 150
            if let event = detector.process(screen.next(frozen: frozen, frame: index), time: Double(index) / 30) { events.append(event) }
        }
        #expect(events.map { Int(($0.startTime * 30).rounded()) } == [0, 150])
        #expect(events.map { Int(($0.confirmedTime * 30).rounded()) } == [15, 165])
    }

    @Test("a blank screen, or one with only a counter ticking, is not a freeze")
    func blankScreens() throws {
        for level: UInt8 in [0, 16, 128] {
            var detector = FreezeDetector()
            var events = 0
            for index in 0..<60 {
                var pixels = [UInt8](repeating: level, count: 320 * 240)
                for y in 4..<12 { for x in 4..<20 { pixels[y * 320 + x] = UInt8(60 + index % 10 * 19) } }
                let image = try Image(width: 320, height: 240, format: .gray8, pixels: pixels)
                if detector.process(image, time: Double(index) / 30) != nil { events += 1 }
            }
            #expect(events == 0, "a blank screen at level \(level)")
        }
    }

    @Test("live imaging from the first frame is no freeze: a small picture on a dark screen, a frame-rate conversion's repeats",
          arguments: [(640, 480, 96, 0), (1148, 624, 312, 50), (1920, 1080, 240, 0)] as [(Int, Int, Int, UInt8)])
    func liveFromTheStart(width: Int, height: Int, side: Int, background: UInt8) throws {
        var detector = FreezeDetector()
        var state: UInt64 = 0xACE
        var events = 0
        // A live picture of side x side pixels moving every 1/30 s, each picture shown twice at
        // 60 fps (a 30 fps scanner through a 60 fps capture card), on a black screen or a
        // scanner's grey frame.
        for index in 0..<120 {
            var pixels = [UInt8](repeating: background, count: width * height)
            if index % 2 == 0 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
            var noise = state
            for y in (height - side) / 2..<(height + side) / 2 {
                for x in (width - side) / 2..<(width + side) / 2 {
                    noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    pixels[y * width + x] = UInt8(40 + (noise >> 33) % 160)
                }
            }
            let image = try Image(width: width, height: height, format: .gray8, pixels: pixels)
            if detector.process(image, time: Double(index) / 60) != nil { events += 1 }
        }
        #expect(events == 0)
    }

    @Test("reset forgets the screen, and a new frame size starts over")
    func resetAndResize() {
        var detector = FreezeDetector()
        var screen = SyntheticScreen()
        for index in 0..<60 { _ = detector.process(screen.next(frozen: false, frame: index), time: Double(index) / 30) }
        #expect((detector.lastMeasurement?.activeBlocks ?? 0) > 16)
        _ = detector.process(Image(width: 64, height: 48, format: .gray8), time: 2.1)
        #expect(detector.lastMeasurement == nil)
        detector.reset()
        #expect(!detector.isFrozen && detector.lastMeasurement == nil)
    }

    // MARK: - Checking events against ground truth

    /// Each event starts and is confirmed inside one freeze, each freeze has exactly one
    /// event, and there is none anywhere else.
    private func expectOneEventPerFreeze(_ events: [FreezeEvent], in analysis: SampleClipAnalysis, feeding: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
        let clip = analysis.clip
        var matched = [Int](repeating: 0, count: clip.freezes.count)
        for event in events {
            let start = analysis.frame(at: event.startTime)
            let confirmed = analysis.frame(at: event.confirmedTime)
            let freeze = clip.freezes.firstIndex { $0.frames.contains(start) && $0.frames.contains(confirmed) }
            #expect(freeze != nil, "\(clip.name), \(feeding): event at frames \(start)-\(confirmed) outside every freeze",
                    sourceLocation: sourceLocation)
            if let freeze { matched[freeze] += 1 }
        }
        for (freeze, count) in zip(clip.freezes, matched) {
            #expect(count == 1, "\(clip.name), \(feeding): freeze \(freeze.frames) has \(count) events",
                    sourceLocation: sourceLocation)
        }
    }
}

/// A small scanner screen: a B-mode square of fresh speckle every live frame, and a
/// frame counter and clock in the corner that tick whether frozen or not.
struct SyntheticScreen {
    static let width = 320, height = 240
    private var state: UInt64 = 0x5EED
    private var held: [UInt8] = []
    private var wasFrozen = false
    /// Per 16 x 16 block, the brightness offset the current keyframe's quantisation left.
    private var offsets = [Int](repeating: 0, count: (320 / 16) * (240 / 16))

    /// The screen at `frame`: new speckle when live; when frozen, the picture of the first
    /// frozen frame (as a scanner holds it). A `keyframe` re-encodes the picture more
    /// roughly than any H.264 keyframe in SampleData (at worst 2.5 % of blocks beyond 1.5
    /// levels): block means move by up to a level and one block in 25 by four, so that
    /// with the previous keyframe's blocks moving back, 8 % of the picture changes at
    /// once. The offsets stay until the next keyframe.
    mutating func next(frozen: Bool, frame: Int, keyframe: Bool = false) -> Image {
        let (w, h) = (Self.width, Self.height)
        if !frozen || !wasFrozen {
            var pixels = [UInt8](repeating: 20, count: w * h)
            for y in 40..<220 {
                for x in 60..<260 { pixels[y * w + x] = UInt8(truncatingIfNeeded: 40 + Int(random() % 160)) }
            }
            held = pixels
        }
        wasFrozen = frozen
        if keyframe {
            for i in offsets.indices {
                offsets[i] = random() % 25 == 0 ? (random() % 2 == 0 ? 4 : -4) : Int(random() % 2)
            }
        }
        var pixels = held
        for y in 0..<h {
            for x in 0..<w {
                pixels[y * w + x] = UInt8(clamping: Int(pixels[y * w + x]) + offsets[(y / 16) * (w / 16) + x / 16])
            }
        }
        // Frame counter: a patch whose brightness steps every frame; a clock every second.
        for y in 4..<12 {
            for x in 4..<20 { pixels[y * w + x] = UInt8(truncatingIfNeeded: 60 + (frame % 10) * 19) }
            for x in 280..<300 { pixels[y * w + x] = UInt8(truncatingIfNeeded: 60 + (frame / 30 % 10) * 19) }
        }
        return try! Image(width: w, height: h, format: .gray8, pixels: pixels)
    }

    private mutating func random() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
