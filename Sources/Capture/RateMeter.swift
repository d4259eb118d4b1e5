/// The source's measured frame rate: packets over the last two seconds of session time,
/// so a variable or drifting source shows what it really delivers.
struct RateMeter {
    private var times: [Double] = []
    private var head = 0
    static let window = 2.0

    mutating func add(_ time: Double) {
        times.append(time)
        while head < times.count, times[head] < time - Self.window { head += 1 }
        if head > 512 {
            times.removeFirst(head)
            head = 0
        }
    }

    /// Frames a second over the window; 0 before two packets.
    var framesPerSecond: Double {
        let count = times.count - head
        guard count >= 2, let last = times.last else { return 0 }
        let span = last - times[head]
        return span > 0 ? Double(count - 1) / span : 0
    }
}
