import Anatomy
import Foundation
import Records
import Testing

@Suite("Stills and their content hashes")
struct StillTests {
    static let hashAdvice = "write the 64 hexadecimal digits of a SHA-256 digest"

    @Test("content hashes are 64 hex digits, stored lowercase", arguments: [
        (String(repeating: "ab", count: 32), String(repeating: "ab", count: 32)),
        (String(repeating: "AB", count: 32), String(repeating: "ab", count: 32)),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ])
    func goodHash(text: String, stored: String) throws {
        #expect(try ContentHash(hexDigits: text).hexDigits == stored)
    }

    @Test("anything else is refused", arguments: [
        String(repeating: "a", count: 63), String(repeating: "a", count: 65), String(repeating: "g", count: 64), "",
        String(repeating: "a", count: 62) + "é",
    ])
    func badHash(text: String) {
        expectRefusal("content hash \"\(text)\" is not valid: \(Self.hashAdvice)") { () throws(RecordError) in
            try ContentHash(hexDigits: text)
        }
    }

    @Test("a hash is made from a 32-byte digest")
    func fromDigest() throws {
        #expect(try ContentHash(digest: Array(0..<32)).hexDigits == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        expectRefusal("digest 31 bytes is out of range: a SHA-256 digest is 32 bytes") { () throws(RecordError) in
            try ContentHash(digest: [UInt8](repeating: 0, count: 31))
        }
    }

    static func still(
        time: Double = 25, sourceFrame: Int? = 750, byteSize: Int = 48_213, width: Int = 1280, height: Int = 720
    ) throws(RecordError) -> Still {
        try Still(
            id: Fixture.stillID, sessionID: Fixture.sessionID, time: time, sourceFrame: sourceFrame, tag: nil,
            reason: .freeze, fileHash: ContentHash(hexDigits: Fixture.hash), byteSize: byteSize, width: width, height: height,
            colour: .gray, createdAt: Fixture.sessionStart.addingTimeInterval(25))
    }

    struct StillCase: Sendable, CustomTestStringConvertible {
        let name: String
        let make: @Sendable () throws(RecordError) -> Still
        let message: String
        var testDescription: String { name }
    }

    @Test("impossible stills are refused", arguments: [
        StillCase(name: "negative time", make: { () throws(RecordError) in try still(time: -1) },
                  message: "time -1 s is out of range: times are 0 s or more from the session start"),
        StillCase(name: "negative frame", make: { () throws(RecordError) in try still(sourceFrame: -1) },
                  message: "source frame -1 is out of range: frames are numbered from 0"),
        StillCase(name: "empty file", make: { () throws(RecordError) in try still(byteSize: 0) },
                  message: "file size 0 bytes is out of range: a still file has at least 1 byte"),
        StillCase(name: "no width", make: { () throws(RecordError) in try still(width: 0) },
                  message: "width 0 px is out of range: images are 1-65535 px wide"),
        StillCase(name: "too high", make: { () throws(RecordError) in try still(height: 70_000) },
                  message: "height 70000 px is out of range: images are 1-65535 px high"),
    ])
    func badStill(still: StillCase) {
        expectRefusal(still.message, still.make)
    }

    @Test("a still carries the tag in force when it was taken")
    func inheritsTag() throws {
        let timeline = TagTimeline([
            try TagEvent(time: 3, site: AnatomicSite(parsing: "L4-L5"), author: "tech1", source: .live),
            try TagEvent(
                time: 20, site: AnatomicSite(parsing: "L5-S1"), structure: TargetStructure.facetCapsule.id, author: "tech1",
                source: .live),
        ])
        let still = try Still(
            sessionID: Fixture.sessionID, time: 25, tag: timeline.tag(at: 25)?.tag, reason: .snap,
            fileHash: ContentHash(hexDigits: Fixture.hash), byteSize: 1, width: 640, height: 480, colour: .rgb,
            createdAt: Fixture.sessionStart)
        #expect(still.tag?.description == "L5-S1 facet-capsule")
        #expect(timeline.tag(at: 1)?.tag == nil)
    }

    @Test("a still's stored form is pinned")
    func storedForm() throws {
        let json = """
            {"byteSize":48213,"colour":"gray","createdAt":"2024-03-09T16:00:25Z",\
            "fileHash":"\(Fixture.hash)","height":720,"id":"6F1D2C3B-4A59-4E8F-9D7C-1B2A3C4D5E6F",\
            "reason":"freeze","sessionID":"0B7E5C1A-2D3F-4A6B-8C9D-0E1F2A3B4C5D","sourceFrame":750,\
            "tag":{"site":"right L5-S1","structure":"facet-capsule"},"time":25,"width":1280}
            """
        let still = try decodeJSON(Still.self, json)
        #expect(still.tag == SiteTag(site: try AnatomicSite(parsing: "right L5-S1"), structure: TargetStructure.facetCapsule.id))
        #expect(still.reason == .freeze && still.colour == .gray)
        #expect(still.createdAt == Fixture.sessionStart.addingTimeInterval(25))
        #expect(try encodeJSON(still) == json)
        #expect(decodingFailure(Still.self, json.replacingOccurrences(of: Fixture.hash, with: "abc"))
            == "content hash \"abc\" is not valid: \(Self.hashAdvice)")
    }
}
