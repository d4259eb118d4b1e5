/// A DICOM peer: its application entity title and where it listens (`PACS@10.0.0.5:104`).
public struct ApplicationEntity: Sendable, Equatable, CustomStringConvertible {
    public var title: String
    public var host: String
    public var port: Int

    public init(title: String, host: String, port: Int) throws(DICOMNetworkError) {
        try Self.check(title: title)
        guard !host.isEmpty else { throw DICOMNetworkError(.invalid, "no host given: write AE@HOST:PORT, e.g. ORTHANC@127.0.0.1:4242") }
        guard (1...65535).contains(port) else { throw DICOMNetworkError(.invalid, "port \(port) is out of range: give 1-65535 (DICOM's own is 104, often 11112 or 4242)") }
        self.title = title
        self.host = host
        self.port = port
    }

    /// Reads `AE@HOST:PORT` (a `dicom://` in front is allowed).
    public init(parsing text: String) throws(DICOMNetworkError) {
        var rest = Substring(text)
        if rest.hasPrefix("dicom://") { rest = rest.dropFirst("dicom://".count) }
        guard let at = rest.lastIndex(of: "@"), let colon = rest.lastIndex(of: ":"), at < colon else {
            throw DICOMNetworkError(.invalid, "\"\(text)\" is not AE@HOST:PORT: write the peer's AE title, host and port, e.g. ORTHANC@127.0.0.1:4242")
        }
        guard let port = Int(rest[rest.index(after: colon)...]) else {
            throw DICOMNetworkError(.invalid, "\"\(text)\": the port after the last colon is not a number")
        }
        var host = String(rest[rest.index(after: at)..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        try self.init(title: String(rest[..<at]), host: host, port: port)
    }

    /// An AE title: 1-16 characters of the default repertoire, no backslash, no control
    /// characters, not all spaces (PS3.5 AE).
    public static func check(title: String) throws(DICOMNetworkError) {
        guard (1...16).contains(title.utf8.count), title.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x5C }),
              !title.allSatisfy({ $0 == " " }) else {
            throw DICOMNetworkError(.invalid, "AE title \"\(title)\" is not valid: 1-16 plain ASCII characters, no backslash, e.g. NEEDLELOG")
        }
    }

    public var description: String { "\(title)@\(host):\(port)" }
}
