import Foundation

extension RecordError {
    /// The error as corrupt data at the decoder's path, so that stored values
    /// failing validation surface like any other bad input, with this message.
    func decodingError(at decoder: any Decoder) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: description, underlyingError: self))
    }
}

/// Runs a validating initialiser while decoding, turning its ``RecordError`` into a `DecodingError`.
func validated<Value>(_ decoder: any Decoder, _ make: () throws(RecordError) -> Value) throws(DecodingError) -> Value {
    do {
        return try make()
    } catch {
        throw error.decodingError(at: decoder)
    }
}
