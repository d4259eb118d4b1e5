import Foundation

/// Opens a pipe for FFmpeg so that every wait on it can be interrupted.
///
/// FFmpeg opens and reads pipes with blocking system calls, which its interrupt
/// callback cannot break: a stop while a FIFO has no writer, or while the writer
/// stalls, would hang. Here the descriptor is non-blocking and read by NeedleLog's own
/// reader (arrival_io.c), which polls it and checks the interrupt between waits; and the
/// wait for a FIFO's writer is a poll loop that checks the interrupt.
enum PipeOpener {
    enum Opened {
        /// A regular file named as a stream: FFmpeg opens this URL as a file.
        case file(url: String)
        /// A live pipe, read through the arrival-logging I/O; `owned` when opened here,
        /// so the source closes it when it is done.
        case pipe(descriptor: Int32, owned: Bool)
    }

    static func open(_ path: String, interrupt: SourceInterrupt) throws(MediaError) -> Opened {
        if path == "-" { return try standard(0, path: path) }
        if path.hasPrefix("pipe:"), let descriptor = Int32(path.dropFirst(5)) { return try standard(descriptor, path: path) }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw MediaError(.notFound, "no such pipe: create it with mkfifo, or give - for standard input", path: path)
        }
        guard status.st_mode & S_IFMT == S_IFIFO else {
            // A regular file named as a stream: FFmpeg reads it as it is.
            return .file(url: "file:" + path)
        }
        return .pipe(descriptor: try waitForWriter(path, interrupt: interrupt), owned: true)
    }

    private static func standard(_ descriptor: Int32, path: String) throws(MediaError) -> Opened {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { throw MediaError(.notFound, "descriptor \(descriptor) is not open", path: path) }
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        return .pipe(descriptor: descriptor, owned: false)
    }

    /// Opens the FIFO for reading without blocking and waits, 100 ms at a time, until a
    /// writer has sent something: its next writer, when one left before.
    private static func waitForWriter(_ path: String, interrupt: SourceInterrupt) throws(MediaError) -> Int32 {
        while !interrupt.isInterrupted {
            let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                throw MediaError(code == EACCES ? .permissionDenied : .io, "cannot open the pipe: \(String(cString: strerror(code)))", path: path)
            }
            while !interrupt.isInterrupted {
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&entry, 1, 100)
                if ready > 0, entry.revents & Int16(POLLIN) != 0 { return descriptor }
                // A writer came and left without a byte: wait afresh for the next one.
                if ready > 0, entry.revents & Int16(POLLHUP) != 0 { break }
            }
            close(descriptor)
        }
        throw MediaError(.io, "stopped while waiting for a writer on the pipe", path: path)
    }
}

/// Stops a source's waits from another thread: a blocked read, the open of a pipe
/// with no writer yet. One may serve several sources in turn (a source opened again
/// after a loss of signal); once set it stays set.
public final class SourceInterrupt: Sendable {
    let flag = InterruptFlag()

    public init() {}

    public func interrupt() { flag.set() }

    public var isInterrupted: Bool { flag.isSet }
}
