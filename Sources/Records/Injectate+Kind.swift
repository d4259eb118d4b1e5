import Foundation

extension Injectate {
    /// The kind of injectate, stored beside each injection and searched by the
    /// archive's `--injectate` filter. Codable as the raw value.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        case prolotherapy
        case prp
        case bmc
        case other

        /// Reads a kind as people type it: the raw value in any case, or a common
        /// name (`dextrose`, `prolo`, `platelet-rich plasma`, `bone marrow`, `BMAC`).
        /// - Throws: ``RecordError`` listing the kinds.
        public init(parsing text: String) throws(RecordError) {
            let key = text.lowercased().split { $0 == " " || $0 == "-" || $0 == "_" }.joined(separator: " ")
            guard let kind = Self(rawValue: key) ?? Self.names[key] else {
                throw .malformed(.injectateKind, text: text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            self = kind
        }

        public var description: String { rawValue }

        private static let names: [String: Kind] = [
            "prolo": .prolotherapy, "dextrose": .prolotherapy, "dextrose prolotherapy": .prolotherapy,
            "platelet rich plasma": .prp,
            "bone marrow": .bmc, "bone marrow concentrate": .bmc, "bmac": .bmc,
            "bone marrow aspirate concentrate": .bmc,
        ]
    }
}
