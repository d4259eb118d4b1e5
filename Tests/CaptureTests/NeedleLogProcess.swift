import Foundation

/// `needlelog` run as a child process, as a clinic's shell or a timer would run it.
final class NeedleLogProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private var collected = Data()
    private let reader: Thread

    /// Starts it; standard output and error are collected together.
    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: CrashTests.needlelog)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let handle = output.fileHandleForReading
        nonisolated(unsafe) var sink = Data()
        reader = Thread { sink = handle.readDataToEndOfFile() }
        try process.run()
        reader.start()
        finish = { sink }
    }

    private var finish: () -> Data = { Data() }

    var isRunning: Bool { process.isRunning }

    /// Waits for the end; its status and everything it printed.
    func wait() async -> (status: Int32, output: String) {
        while process.isRunning || !reader.isFinished { try? await Task.sleep(for: .milliseconds(20)) }
        collected = finish()
        return (process.terminationStatus, String(decoding: collected, as: UTF8.self))
    }

    /// Runs to the end.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await NeedleLogProcess(arguments).wait()
    }
}
