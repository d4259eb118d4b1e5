import Foundation
import Records

/// A needle annotation as a presentation state that references its still: a
/// POLYLINE from entry to tip, a POINT at the tip and one at the target, and a text
/// object naming level and structure, on one layer.
///
/// A grey still gets a Grayscale Softcopy Presentation State (PS3.3 A.33.1), an RGB
/// still a Color Softcopy Presentation State (A.33.2), since a GSPS may reference
/// only grayscale images. The two differ only in what follows the graphics: the
/// GSPS's VOI and presentation LUTs, the CSPS's ICC profile.
///
/// A viewer shows the still with the needle drawn over it without the pixels
/// changing, which is why the needle is not burned in.
public enum NeedlePresentationState {
    static let seriesNumber = 100
    static let layer = "NEEDLE"

    /// `nil` when the still has no needle.
    public static func dataSet(for record: StillRecord, uids: UIDScheme = .archive,
                               timeZone: TimeZone = .current) -> DataSet? {
        guard let annotation = record.annotation else { return nil }
        let colour = record.image.format != .gray8
        var set = CommonModules.patientAndStudy(record, uids: uids, timeZone: timeZone)
        set.set(.sopClassUID, .UI, colour ? DICOMUID.colorSoftcopyPresentationStateStorage
                                          : DICOMUID.grayscaleSoftcopyPresentationStateStorage)
        set.set(.sopInstanceUID, .UI, uids.presentation(image: record.imageUID(uids), revision: annotation.revision))
        CommonModules.series(&set, record, uid: uids.presentationSeries(record.session.id), number: seriesNumber,
                             modality: "PR", description: "NeedleLog needle annotations", timeZone: timeZone)
        // General Series Type 2C: the PR series spans stills of either side, and a
        // presentation state has no Image Laterality to stand in, so empty.
        set.set(.laterality, .CS)
        identification(&set, record, annotation, timeZone: timeZone)
        relationship(&set, record, uids: uids)
        displayedArea(&set, record)
        graphics(&set, record, annotation, uids: uids, colour: colour)
        if colour { iccProfile(&set) } else { luts(&set) }
        return set
    }

    // MARK: - Modules

    /// Presentation State Identification (C.11.10).
    private static func identification(_ set: inout DataSet, _ record: StillRecord, _ annotation: NeedleAnnotation,
                                       timeZone: TimeZone) {
        set.set(.instanceNumber, .IS, String(record.instanceNumber))
        set.set(.contentLabel, .CS, layer)
        set.set(.contentDescription, .LO, "Needle entry, tip and target, revision \(annotation.revision)")
        set.set(.contentCreatorName, .PN, DICOMText.personName(annotation.author))
        set.set(.presentationCreationDate, .DA, DICOMText.date(annotation.createdAt, in: timeZone))
        set.set(.presentationCreationTime, .TM, DICOMText.time(annotation.createdAt, in: timeZone))
    }

    /// Presentation State Relationship (C.11.11): the one still this applies to.
    private static func relationship(_ set: inout DataSet, _ record: StillRecord, uids: UIDScheme) {
        var series = DataSet()
        series.set(.seriesInstanceUID, .UI, record.imageSeriesUID(uids))
        series.set(.referencedImageSequence, items: [imageReference(record, uids: uids)])
        set.set(.referencedSeriesSequence, items: [series])
    }

    static func imageReference(_ record: StillRecord, uids: UIDScheme) -> DataSet {
        var image = DataSet()
        image.set(.referencedSOPClassUID, .UI, DICOMUID.ultrasoundImageStorage)
        image.set(.referencedSOPInstanceUID, .UI, record.imageUID(uids))
        return image
    }

    /// Displayed Area (C.10.4): the whole still, scaled to fit, square pixels.
    private static func displayedArea(_ set: inout DataSet, _ record: StillRecord) {
        var area = DataSet()
        area.set(.displayedAreaTopLeftHandCorner, int32: 1, 1)
        area.set(.displayedAreaBottomRightHandCorner, int32: Int32(record.image.width), Int32(record.image.height))
        area.set(.presentationSizeMode, .CS, "SCALE TO FIT")
        area.set(.presentedPixelAspectRatio, .IS, "1", "1")
        set.set(.displayedAreaSelectionSequence, items: [area])
    }

    /// Graphic Layer (C.10.7) and Graphic Annotation (C.10.5) modules.
    private static func graphics(_ set: inout DataSet, _ record: StillRecord, _ annotation: NeedleAnnotation, uids: UIDScheme,
                                 colour: Bool) {
        var layerItem = DataSet()
        layerItem.set(.graphicLayer, .CS, layer)
        layerItem.set(.graphicLayerOrder, .IS, "1")
        layerItem.set(.graphicLayerRecommendedDisplayGrayscaleValue, uint16: 0xFFFF)
        // On a colour still, yellow: it stands out from grey tissue and from white
        // screen text, where the GSPS's white would not.
        if colour { layerItem.set(.graphicLayerRecommendedDisplayCIELabValue, uint16: SRGBProfile.dicomCIELab(red: 255, green: 255, blue: 0)) }
        layerItem.set(.graphicLayerDescription, .LO, "Needle trajectory, tip and target")
        set.set(.graphicLayerSequence, items: [layerItem])

        var objects = [graphic("POLYLINE", [annotation.entry, annotation.tip]), graphic("POINT", [annotation.tip])]
        if let target = annotation.target { objects.append(graphic("POINT", [target])) }
        var item = DataSet()
        item.set(.referencedImageSequence, items: [imageReference(record, uids: uids)])
        item.set(.graphicLayer, .CS, layer)
        item.set(.graphicObjectSequence, items: objects)
        if let tag = record.still.tag {
            item.set(.textObjectSequence, items: [text(SiteCoding(tag: tag).label, near: annotation.tip, in: record)])
        }
        set.set(.graphicAnnotationSequence, items: [item])
    }

    private static func graphic(_ type: String, _ points: [ImagePoint]) -> DataSet {
        var object = DataSet()
        object.set(.graphicAnnotationUnits, .CS, "PIXEL")
        object.set(.graphicDimensions, uint16: 2)
        object.set(.numberOfGraphicPoints, uint16: UInt16(points.count))
        // Column then row, from the top left corner of the top left pixel (C.10.5.1.2).
        object.set(.graphicData, float32: points.flatMap { [Float($0.x), Float($0.y)] })
        object.set(.graphicType, .CS, type)
        if type == "POLYLINE" { object.set(.graphicFilled, .CS, "N") }
        return object
    }

    /// The label in a box beside the tip, kept inside the image, anchored to the tip.
    private static func text(_ label: String, near tip: ImagePoint, in record: StillRecord) -> DataSet {
        let width = Double(record.image.width), height = Double(record.image.height)
        let boxWidth = min(width, Double(label.count) * 8 + 8), boxHeight = min(height, 20)
        let left = min(max(0, tip.x + 12), width - boxWidth)
        let top = min(max(0, tip.y + 12), height - boxHeight)
        var object = DataSet()
        object.set(.boundingBoxAnnotationUnits, .CS, "PIXEL")
        object.set(.anchorPointAnnotationUnits, .CS, "PIXEL")
        object.set(.unformattedTextValue, .ST, DICOMText.value(label, .ST))
        object.set(.boundingBoxTopLeftHandCorner, float32: [Float(left), Float(top)])
        object.set(.boundingBoxBottomRightHandCorner, float32: [Float(left + boxWidth), Float(top + boxHeight)])
        object.set(.boundingBoxTextHorizontalJustification, .CS, "LEFT")
        object.set(.anchorPoint, float32: [Float(min(max(0, tip.x), width)), Float(min(max(0, tip.y), height))])
        object.set(.anchorPointVisibility, .CS, "Y")
        return object
    }

    /// Softcopy VOI LUT (C.11.8) as the identity window for 8-bit pixels, and the
    /// Softcopy Presentation LUT (C.11.6) as IDENTITY, as MONOCHROME2 needs.
    private static func luts(_ set: inout DataSet) {
        var voi = DataSet()
        voi.set(.windowCenter, .DS, "128")
        voi.set(.windowWidth, .DS, "256")
        set.set(.softcopyVOILUTSequence, items: [voi])
        set.set(.presentationLUTShape, .CS, "IDENTITY")
    }

    /// ICC Profile (C.11.15), which a CSPS has in place of the LUTs: the stills'
    /// RGB values are taken to be sRGB (see ``SRGBProfile``).
    private static func iccProfile(_ set: inout DataSet) {
        set.set(.iccProfile, .OB, bytes: SRGBProfile.bytes)
        set.set(.colorSpace, .CS, "SRGB")
    }
}
