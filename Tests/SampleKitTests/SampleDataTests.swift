import Foundation
import SampleKit
import Testing

/// The committed SampleData is SampleKit's output: regenerating the ground truth and tag
/// file of every standard clip gives the committed files byte for byte.
@Suite("Committed SampleData")
struct SampleDataTests {
    /// `SampleData/` at the package root, found from this file's path (through symlinks).
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // SampleKitTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("SampleData")

    @Test("ground truth JSON equals the committed file", arguments: ClipSpec.standard)
    func groundTruth(spec: ClipSpec) throws {
        let committed = try Data(contentsOf: Self.folder.appendingPathComponent(spec.name + ".json"))
        let generated = try ScannerScreen(spec: spec).groundTruth.jsonData()
        #expect(generated == committed, "\(spec.name).json differs; bump generatorVersion and regenerate if intended")
    }

    @Test("tag file equals the committed file", arguments: ClipSpec.standard)
    func tagFile(spec: ClipSpec) throws {
        let committed = try String(contentsOf: Self.folder.appendingPathComponent(spec.name + ".tags"), encoding: .utf8)
        #expect(ScannerScreen(spec: spec).groundTruth.tagFileText == committed)
    }
}
