import Foundation
import Testing

/// A program the tests run as a subprocess (dciodvfy, dcmdump, Orthanc), found on
/// PATH. A missing tool fails the test with the fix, never skips it.
struct ExternalTool {
    let name: String
    let path: String

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var combined: String { stdout + stderr }
    }

    init(_ name: String, package: String) throws {
        self.name = name
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin") + ":/usr/sbin:/usr/bin"
        guard let found = folders.split(separator: ":").map({ "\($0)/\(name)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ToolMissing(description: "\(name) is not installed (Debian package \(package)): run tools/setup")
        }
        path = found
    }

    struct ToolMissing: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs to completion, reading both pipes while it runs so a chatty tool cannot block.
    func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// dciodvfy's verdict on one file: its Error and Warning lines.
struct Verdict {
    var errors: [String]
    var warnings: [String]
    var output: String

    static func of(_ file: URL) throws -> Verdict {
        let output = try ExternalTool("dciodvfy", package: "dicom3tools").run([file.path]).combined
        let lines = output.split(separator: "\n").map(String.init)
        return Verdict(errors: lines.filter { $0.contains("Error") }, warnings: lines.filter { $0.contains("Warning") },
                       output: output)
    }
}
