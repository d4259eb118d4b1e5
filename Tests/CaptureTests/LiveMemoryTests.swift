import Foundation
import Testing
@testable import Capture

/// What the recorder holds while it runs (issue 21): nothing beyond what it still needs.
@Suite("the recorder holds only what it needs")
struct LiveMemoryTests {
    final class Payload {}

    @Test("a taken item is no longer held by the queue, whatever came before it")
    func queueReleasesTakenItems() throws {
        let queue = BoundedQueue<Payload>(capacity: 600)
        var watched: [Weak] = []
        for _ in 0..<300 {
            let item = Payload()
            watched.append(Weak(item))
            #expect(queue.offer(item))
        }
        for _ in 0..<299 { _ = queue.take() }
        // 299 taken and dropped by the taker: none may live on inside the queue.
        #expect(watched.prefix(299).allSatisfy { $0.value == nil })
        #expect(watched.last?.value != nil && queue.count == 1)
        let last = queue.take()
        #expect(last != nil && queue.count == 0)
    }

    struct Weak {
        weak var value: Payload?
        init(_ value: Payload) { self.value = value }
    }

    @Test("the live picture fits 960x540 with the screen's shape and even sides; smaller screens keep their size",
          arguments: [
              (1920, 1080, 960, 540), (3840, 2160, 960, 540), (1280, 720, 960, 540), (1148, 624, 960, 522),
              (1024, 768, 720, 540), (720, 1280, 304, 540), (640, 480, 640, 480), (960, 540, 960, 540), (718, 576, 674, 540), (720, 480, 720, 480),
          ])
    func previewSize(screen: (Int, Int, Int, Int)) {
        let size = LiveCapture.previewSize(width: screen.0, height: screen.1)
        #expect(size.width == screen.2 && size.height == screen.3, "\(screen.0)x\(screen.1) -> \(size.width)x\(size.height)")
    }
}
