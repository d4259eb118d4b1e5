/// Numbers pictures in presentation order, counting those the decoder dropped, from the
/// packets' presentation times: a still's `sourceFrame` then names the same picture of the
/// recording whether or not its neighbours were decoded.
///
/// Packets come in decoding order, pictures out in presentation order; a picture's number
/// is how many packets present before it. Cheap: packets arrive nearly sorted, so each
/// insertion walks back a step or two, and passed times are dropped from the front.
struct PictureNumbering {
    /// Presentation times of packets whose picture has not been passed yet, ascending.
    private var waiting: [Double] = []
    private var start = 0
    private var passed = 0
    /// False once a packet came without a time: numbers are then counted from decoded pictures only.
    private(set) var isComplete = true

    mutating func packet(at time: Double?) {
        guard let time else {
            isComplete = false
            return
        }
        var index = waiting.count
        while index > start, waiting[index - 1] > time { index -= 1 }
        waiting.insert(time, at: index)
    }

    /// The number of the picture presented at `time`: the packets presented before it.
    mutating func number(ofPictureAt time: Double) -> Int {
        // Half a microsecond either side of equal: a picture's time is its packet's.
        while start < waiting.count, waiting[start] < time - 5e-7 {
            start += 1
            passed += 1
        }
        let number = passed
        if start < waiting.count, waiting[start] <= time + 5e-7 {
            start += 1
            passed += 1
        }
        if start > 4096 {
            waiting.removeFirst(start)
            start = 0
        }
        return number
    }
}
