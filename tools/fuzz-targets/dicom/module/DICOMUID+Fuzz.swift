// Compiled into the fuzz build of DICOMExport in place of Sources/DICOMExport/DICOMUID.swift,
// which needs swift-crypto (SHA-256 for derived UIDs) and so cannot be built with swiftc
// alone. The reader under test does not use UIDs; the writer needs these three for the
// seeds it makes. The values are the real module's (implementationClass as it derives it).
public enum DICOMUID {
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    public static let implementationClass = "2.25.0"
    public static let implementationVersionName = "NEEDLELOG_1"
}
