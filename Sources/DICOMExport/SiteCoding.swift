import Anatomy
import Records

/// How a still's tag is written in DICOM: Body Part Examined, the coded anatomic
/// region (each vertebra of the tag, with the side as a modifier), the target
/// structure, and Image Laterality.
struct SiteCoding {
    let tag: SiteTag

    var bodyPart: BodyPartExamined { tag.site.bodyPartExamined }

    /// The vertebrae the tag covers, in anatomical order, so a segment such as L4-L5
    /// is its two levels. Levels without a confirmed code (S1-S5, T13, L6) are left
    /// out: a wrong code is worse than a missing one.
    var vertebrae: [CodedConcept] {
        guard case .vertebrae(let span) = tag.site.location else { return [] }
        return span.levels.compactMap(\.snomedCode).map(CodedConcept.init)
    }

    /// The one Anatomic Region Sequence item: the vertebra of a single-level tag, else
    /// the Body Part Examined concept (lumbo-sacral spine for L5-S1). PS3.3 allows one
    /// item outside Digital X-Ray (dciodvfy: "A single Item is required"), so the two
    /// levels of a segment go to Primary Anatomic Structure Sequence instead.
    var region: CodedConcept {
        vertebrae.count == 1 && tag.site.span?.kind == .level ? vertebrae[0] : CodedConcept(bodyPart.snomedCode)
    }

    /// Primary Anatomic Structure Sequence: every vertebra of the tag, then the target
    /// structure when the catalogue has its code.
    var structures: [CodedConcept] {
        vertebrae + [structure?.snomedCode].compactMap { $0.map(CodedConcept.init) }
    }

    /// The side as an Anatomic Region Modifier. None for the midline: its SNOMED code
    /// is not confirmed (see ``Laterality/snomedCode``), and DICOM leaves unpaired
    /// structures without a side anyway.
    var modifier: CodedConcept? {
        guard let side = tag.site.laterality, side != .midline else { return nil }
        return CodedConcept(side.snomedCode)
    }

    /// Image Laterality (0020,0062): R, L, B, or U for the midline; `nil` when the tech gave no side.
    var imageLaterality: String? { tag.site.laterality?.dicomImageLaterality }

    var structure: TargetStructure? { tag.structure.flatMap { TargetStructure(id: $0) } }

    /// `L5-S1 right, Facet joint capsule`: what the needle's text object says.
    var label: String {
        var site = tag.site
        let side = site.laterality
        site.laterality = nil
        let place = [site.description, side?.description].compactMap(\.self).joined(separator: " ")
        return [place, structure?.displayName ?? tag.structure?.rawValue].compactMap(\.self).joined(separator: ", ")
    }

    /// Anatomic Region Sequence, the side inside its item as a modifier.
    var regionItems: [DataSet] {
        [region.item { item in
            if let modifier { item.set(.anatomicRegionModifierSequence, items: [modifier.item()]) }
        }]
    }

    /// Primary Anatomic Structure Sequence items, each with the side as a modifier.
    var structureItems: [DataSet] {
        structures.map { concept in
            concept.item { item in
                if let modifier { item.set(.primaryAnatomicStructureModifierSequence, items: [modifier.item()]) }
            }
        }
    }
}
