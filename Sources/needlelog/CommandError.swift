/// A failure while running a command (not a usage mistake): printed as
/// `Error: <message>` without the usage text, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
