import Anatomy

extension StillRecord {
    /// Body Part Examined of the still's tag, which picks its image series.
    var bodyPart: BodyPartExamined? { still.tag?.site.bodyPartExamined }

    func imageUID(_ uids: UIDScheme) -> String {
        uids.image(still.id, tag: still.tag?.description)
    }

    func imageSeriesUID(_ uids: UIDScheme) -> String {
        uids.imageSeries(session.id, bodyPart: bodyPart?.definedTerm)
    }

    /// 1-12 by Body Part Examined in the catalogue's order (cervical first), 13 for
    /// untagged stills; presentation states are series 100.
    var imageSeriesNumber: Int {
        guard let bodyPart, let index = BodyPartExamined.allCases.firstIndex(of: bodyPart) else {
            return BodyPartExamined.allCases.count + 1
        }
        return index + 1
    }
}
