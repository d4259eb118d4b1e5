import Foundation

/// A DICOM Part 10 file (PS3.10 7.1): 128-byte preamble, `DICM`, the file meta
/// information group in explicit VR little endian, then the data set in the same
/// transfer syntax.
public struct PartTenFile: Sendable {
    public let dataSet: DataSet

    /// - Precondition: the data set has SOP Class UID and SOP Instance UID, which the
    ///   meta information repeats (a file without them is one PACS servers refuse).
    public init(dataSet: DataSet) {
        precondition(dataSet.text(.sopClassUID) != nil && dataSet.text(.sopInstanceUID) != nil,
                     "a Part 10 file needs SOP Class UID and SOP Instance UID")
        self.dataSet = dataSet
    }

    public var sopInstanceUID: String { dataSet.text(.sopInstanceUID) ?? "" }
    public var sopClassUID: String { dataSet.text(.sopClassUID) ?? "" }

    /// The file's bytes.
    /// - Parameter transferSyntax: what the data set is in: explicit VR little endian, or an
    ///   encapsulated one (the data set still explicit VR, its pixel data compressed).
    public func encoded(sequences: SequenceLength = .defined, transferSyntax: String = DICOMUID.explicitVRLittleEndian) throws(EncodingError) -> Data {
        var meta = DataSet()
        meta.set(.fileMetaInformationVersion, .OB, bytes: [0x00, 0x01])
        meta.set(.mediaStorageSOPClassUID, .UI, sopClassUID)
        meta.set(.mediaStorageSOPInstanceUID, .UI, sopInstanceUID)
        meta.set(.transferSyntaxUID, .UI, transferSyntax)
        meta.set(.implementationClassUID, .UI, DICOMUID.implementationClass)
        meta.set(.implementationVersionName, .SH, DICOMUID.implementationVersionName)
        let metaBytes = try meta.encoded()
        // The group length counts every meta element after itself (PS3.10 7.1).
        var lengthElement = DataSet()
        lengthElement.set(.fileMetaInformationGroupLength, uint32: UInt32(metaBytes.count))
        var out = Data(count: 128)
        out.append(contentsOf: Array("DICM".utf8))
        out.append(contentsOf: try lengthElement.encoded())
        out.append(contentsOf: metaBytes)
        out.append(contentsOf: try dataSet.encoded(sequences: sequences))
        return out
    }
}
