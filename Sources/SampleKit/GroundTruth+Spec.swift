import Foundation

extension GroundTruth {
    /// The ground truth of a clip, computed from its spec without rendering any frame.
    public init(spec: ClipSpec) {
        self.init(spec: spec, layout: ScreenLayout(spec: spec))
    }

    init(spec: ClipSpec, layout: ScreenLayout) {
        let timeline = ClipTimeline(spec: spec)
        let fps = Double(spec.framesPerSecond)
        generatorVersion = GroundTruth.currentGeneratorVersion
        seed = spec.seed
        name = spec.name
        fileName = spec.fileName
        container = spec.container
        codec = spec.codec
        width = spec.width
        height = spec.height
        framesPerSecond = spec.framesPerSecond
        sourceFramesPerSecond = spec.sourceFramesPerSecond.roundedToThousandths
        frameCount = spec.frameCount
        durationSeconds = spec.durationSeconds.roundedToThousandths
        probe = spec.probe
        presetText = spec.presetText
        depthMillimetres = spec.depthMillimetres
        mmPerPixel = layout.mmPerPixel
        imageRegion = layout.region
        burnedInTextRegions = [
            TextRegion(name: "header", rect: layout.header),
            TextRegion(name: "accession", rect: layout.accessionRect),
        ]
        clockRegion = layout.clockRect
        frameCounterRegion = layout.frameCounterRect
        freezeIndicatorRegion = layout.freezeIndicatorRect
        depthScaleRegion = layout.depthScaleRect
        patientName = spec.identity.patientName
        patientID = spec.identity.patientID
        date = spec.identity.date
        institution = spec.identity.institution
        accession = spec.identity.accession
        colorUI = spec.colorUI

        // Per-frame state follows the image on screen: during a freeze, the frozen one.
        let imagingTimes = (0..<spec.frameCount).map { index in
            timeline.time(ofSource: timeline.imagingSource(ofSource: timeline.sourceFrame(index)))
        }
        let path = NeedlePath(spec: spec, layout: layout)
        needleTarget = path?.target.rounded
        needle = imagingTimes.map { t in
            guard let path, let tip = path.tip(at: t) else { return nil }
            return NeedleFrame(entry: path.entry.rounded, tip: tip.rounded, angleDegrees: path.spec.angleDegrees.roundedToHundredths)
        }
        freezes = spec.freezes.indices.map { k in
            let frames = timeline.outputFrames(ofFreeze: k)
            return FreezeInterval(firstFrame: frames.lowerBound, lastFrame: frames.upperBound,
                                  startSeconds: (Double(frames.lowerBound) / fps).roundedToThousandths,
                                  endSeconds: (Double(frames.upperBound + 1) / fps).roundedToThousandths)
        }
        duplicateFrames = (0..<spec.frameCount).filter { timeline.isDuplicate($0) }

        var views: [ViewInterval] = []
        for (index, t) in imagingTimes.enumerated() {
            let state = timeline.viewState(at: t)
            let from = spec.views[state.from]
            let to = state.to.map { spec.views[$0] }
            if var last = views.last, last.level == from.level, last.view == from.scene, last.moving == state.isMoving,
               last.toLevel == to?.level, last.toView == to?.scene {
                last.lastFrame = index
                last.endSeconds = (Double(index + 1) / fps).roundedToThousandths
                views[views.count - 1] = last
            } else {
                views.append(ViewInterval(
                    firstFrame: index, lastFrame: index, startSeconds: (Double(index) / fps).roundedToThousandths,
                    endSeconds: (Double(index + 1) / fps).roundedToThousandths, level: from.level, view: from.scene,
                    moving: state.isMoving, toLevel: to?.level, toView: to?.scene))
            }
        }
        self.views = views

        let duration = spec.durationSeconds
        tags = spec.tags.enumerated().map { k, tag in
            let end = k + 1 < spec.tags.count ? spec.tags[k + 1].seconds : duration
            // Frames whose output time i/fps lies in [start, end).
            let first = Int((tag.seconds * fps - 1e-9).rounded(.up))
            let last = min(spec.frameCount - 1, Int((end * fps - 1e-9).rounded(.up)) - 1)
            return TagInterval(startSeconds: tag.seconds.roundedToThousandths, endSeconds: end.roundedToThousandths,
                               firstFrame: first, lastFrame: last, level: tag.level, structure: tag.structure, side: tag.side)
        }
    }
}
