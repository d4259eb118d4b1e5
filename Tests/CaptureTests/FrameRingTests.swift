import Capture
import Media
import Testing

@Suite("A late snap request gets the frame that was on screen")
struct FrameRingTests {
    @Test("a snap request 200 ms late gets the decoded frame shown when the tech pressed")
    func lateSnapGetsTheFrameOnScreen() throws {
        let clip = try SampleClip.named("thoracic-frc-640x480")
        let source = try MediaSource(.file(clip.path))
        let decoder = try VideoDecoder(for: source)
        var ring = FrameRing<Frame>(duration: 2)
        var shown: [(time: Double, frame: Frame)] = []
        var checked = 0
        func arrive(_ frame: Frame) throws {
            let time = try #require(frame.time)
            ring.append(frame, time: time)
            shown.append((time, frame))
            // Every press whose request arrives now, 200 ms after it, is answered.
            for pressed in shown where pressed.time > time - 0.2 - 0.001 && pressed.time <= time - 0.2 + 0.001 {
                #expect(ring.item(at: pressed.time) === pressed.frame)
                // Pressed between two frames: the earlier one was still on screen.
                #expect(ring.item(at: pressed.time + 0.01) === pressed.frame)
                checked += 1
            }
        }
        readLoop: while let packet = try source.nextPacket() {
            for frame in try decoder.decode(packet) {
                try arrive(frame)
                if shown.count == 120 { break readLoop }
            }
        }
        #expect(checked >= 110)
        // Four seconds of 30 fps were seen; two seconds (and the frame shown at their start,
        // unless one arrived exactly then) are kept.
        #expect((60...61).contains(ring.count))
    }

    @Test("the ring keeps the frame on screen at its oldest time and drops the rest")
    func dropsWhatIsOlderThanItsDuration() {
        var ring = FrameRing<Int>(duration: 10)
        for i in 0..<50 { ring.append(i, time: Double(i)) }
        // Newest at 49 s: the frame shown at 39 s is frame 39, the oldest kept.
        #expect(ring.oldestTime == 39)
        #expect(ring.item(at: 38.5) == nil)
        #expect(ring.item(at: 42.5) == 42)
        #expect(ring.item(at: 100) == 49)
        #expect(ring.count == 11)
    }

    @Test("a ring bounded by count never holds more, however short the frame interval")
    func maximumCount() {
        var ring = FrameRing<Int>(duration: 10, maximumCount: 5)
        for i in 0..<100 { ring.append(i, time: Double(i) / 1000) }
        #expect(ring.count == 5)
        #expect(ring.item(at: 0.095) == 95)
        #expect(ring.item(at: 0.094) == nil)
    }

    @Test("a stream that starts over empties the ring instead of mixing timelines")
    func restartedStream() {
        var ring = FrameRing<String>(duration: 2)
        ring.append("old 1", time: 10)
        ring.append("old 2", time: 10.5)
        ring.append("new 1", time: 0)
        #expect(ring.count == 1)
        #expect(ring.item(at: 10.2) == "new 1")
        #expect(ring.item(at: -1) == nil)
        ring.removeAll()
        #expect(ring.isEmpty && ring.item(at: 0) == nil)
    }
}
