import DICOMExport
import Foundation
import Testing

@Suite("bad input: clear errors, and no half-written file left behind")
struct BadInputTests {
    @Test("an unknown session is named, with how to list the real ones")
    func unknownSession() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let id = UUID()
        do {
            _ = try await f.exporter().records(ofSession: id)
            Issue.record("an unknown session exported")
        } catch let error as DICOMExportError {
            #expect(error.kind == .notFound)
            #expect(error.message.contains("no session \(id.uuidString.lowercased())") && error.remedy == .listSessions)
        }
    }

    @Test("an output folder that cannot be made says so and writes nothing")
    func unwritableFolder() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        // Root may write anywhere, so make the folder impossible instead: below a file.
        let file = f.base.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        for target in [file, file.appendingPathComponent("out")] {
            do {
                _ = try ExportWriter().writeDICOM(records, to: target)
                Issue.record("exported into \(target.path)")
            } catch {
                #expect(error.kind == .storage)
                #expect(error.message.contains(target.path) && error.remedy == .chooseOutputFolder, "\(error.message)")
                #expect(error.message.contains("\(file.path) is a file, not a folder"), "\(error.message)")
            }
        }
        #expect(try Data(contentsOf: file) == Data("x".utf8))
    }

    @Test("a write that fails midway leaves only whole files, and no temporary ones")
    func failureMidway() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        // Block the second object's name with a folder, so its rename fails.
        let (second, _) = ExportWriter().dataSets(for: records[1])
        let study = try #require(second.text(.studyInstanceUID)), sop = try #require(second.text(.sopInstanceUID))
        let blocked = f.out.appendingPathComponent(study).appendingPathComponent("US-\(sop).dcm")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("occupied"), withIntermediateDirectories: true)
        do {
            _ = try ExportWriter().writeDICOM(records, to: f.out)
            Issue.record("the blocked export succeeded")
        } catch {
            #expect(error.kind == .storage && error.message.contains("nothing was left behind"), "\(error.message)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: f.out.appendingPathComponent(study).path)
        #expect(left.filter { $0.hasSuffix(".partial") || $0.hasPrefix(".") }.isEmpty, "\(left)")
        for name in left where name.hasSuffix(".dcm") && name != blocked.lastPathComponent {
            #expect(try Verdict.of(f.out.appendingPathComponent(study).appendingPathComponent(name)).errors.isEmpty)
        }
    }

    @Test("mask rectangles and scanner names that cannot be right say what would be")
    func badMasks() throws {
        for text in ["1,2,3", "a,b,c,d", "0,0,0,10", "-1,0,5,5"] {
            do {
                _ = try BurnedInTextMask.Rectangle(parsing: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message.contains("x,y,width,height"))
            }
        }
        #expect(try BurnedInTextMask.Rectangle(parsing: "482, 462,154,14") == .init(x: 482, y: 462, width: 154, height: 14))
        let settings = MaskSettings(scanners: [.init(name: "capture-640x480", width: 640, height: 480, headerBand: 42, rectangles: nil)],
                                    scanner: "capture-1080")
        #expect(throws: DICOMExportError.self) { try settings.validate() }
        // Without a name the profile is picked by size; the command line adds to it.
        let bySize = MaskSettings(scanners: settings.scanners, rectangles: [.init(x: 1, y: 2, width: 3, height: 4)])
        #expect(bySize.mask(width: 640, height: 480) == BurnedInTextMask(headerBand: 42, rectangles: [.init(x: 1, y: 2, width: 3, height: 4)]))
        #expect(bySize.mask(width: 1280, height: 720).headerBand == nil)
    }
}
