import Testing
@testable import Capture

/// A still names its picture by number in the stream, whether or not the decoder dropped
/// the pictures around it.
@Suite("numbering pictures past the ones the decoder dropped")
struct PictureNumberingTests {
    @Test("reordered packets, non-reference pictures dropped: the decoded ones keep their numbers")
    func reordered() {
        var numbering = PictureNumbering()
        // Decoding order of I P B B P B B at 30 fps (presentation 0 3 1 2 6 4 5).
        let frame = 1.0 / 30
        for shown in [0, 3, 1, 2, 6, 4, 5] { numbering.packet(at: Double(shown) * frame) }
        // Only the references decoded: pictures 0, 3 and 6.
        #expect([0, 3, 6].map { numbering.number(ofPictureAt: Double($0) * frame) } == [0, 3, 6])
        #expect(numbering.isComplete)
    }

    @Test("every picture decoded: numbers count up by one; many pictures: the list stays short")
    func everyPicture() {
        var numbering = PictureNumbering()
        var numbers: [Int] = []
        for index in 0..<10_000 {
            numbering.packet(at: Double(index) * 0.02)
            numbers.append(numbering.number(ofPictureAt: Double(index) * 0.02))
        }
        #expect(numbers == Array(0..<10_000))
    }

    @Test("a packet without a time: the numbering says it is incomplete")
    func untimed() {
        var numbering = PictureNumbering()
        numbering.packet(at: 0)
        numbering.packet(at: nil)
        #expect(!numbering.isComplete)
    }
}
