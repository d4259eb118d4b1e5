import Foundation

extension AnatomyScene {
    /// Skin, subcutaneous fat and the thoracolumbar fascia over the paraspinal muscles.
    mutating func addLumbarSoftTissue(fatDepth: Double, sagittal: Bool) {
        let fibres: Double? = sagittal ? 0.07 : nil
        layers = [
            Layer(top: Wave(base: -1), tissue: .skin, fascia: 0),
            Layer(top: Wave(base: 1.9, amplitude: 0.15, period: 23), tissue: .fat, fascia: 0),
            // Thoracolumbar fascia: a bright double-layered line over the erector spinae.
            Layer(top: Wave(base: fatDepth, amplitude: 1.2, period: 70, phase: 0.7), tissue: .muscle(fiberAngle: fibres), fascia: 2.6),
            Layer(top: Wave(base: fatDepth + 1.2, amplitude: 1.2, period: 70, phase: 0.7), tissue: .muscle(fiberAngle: fibres), fascia: 1.1),
        ]
        deepTissueDepth = 70
    }

    /// Lumbar transverse view at the spinous process (L4-L5 in the standard clips): midline
    /// spinous tip under the supraspinous ligament, laminae sloping down to either side (the
    /// "bat wings"), articular processes and transverse processes laterally.
    static func lumbarTransverseSpinous(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        var scene = AnatomyScene(xMin: xMin, xMax: xMax, seed: seed)
        scene.addLumbarSoftTissue(fatDepth: 12, sagittal: false)
        // Spinous process tip: a short rounded cap.
        // Spinous process: a short rounded cap whose steep flanks run down into the laminae.
        scene.addSurface(from: -6.4, to: 6.4, strength: 1.0) { x in
            abs(x) <= 4.6 ? 23 + 0.22 * x * x : 27.66 + 4.4 * (abs(x) - 4.6)
        }
        // Laminae: the bat's wings, sloping down and out.
        scene.addMirroredSurface(from: 6.2, to: 17.5, strength: 0.95) { x in 35 + 0.42 * (x - 6.2) + 0.012 * (x - 6.2) * (x - 6.2) }
        // Articular processes: a rounded hump lateral to each lamina.
        scene.addMirroredSurface(from: 17.5, to: 27.5, strength: 1.0) { x in 43.5 - 4.5 * sin(.pi * (x - 17.5) / 10) }
        // Transverse processes, deeper and flatter.
        scene.addMirroredSurface(from: 31, to: 50, strength: 0.85) { x in 52 + 0.12 * (x - 31) + 0.02 * (x - 40) * (x - 40) / 4 }
        // Supraspinous ligament capping the spinous process.
        scene.bands.append(Band([(-4.5, 20.6), (0, 20.2), (4.5, 20.6)], halfThickness: 1.5, brightness: 0.9, kind: .ligament))
        // Fascial planes between multifidus and longissimus, curving out from the midline.
        for side in [-1.0, 1.0] {
            scene.bands.append(Band([(side * 7, 19), (side * 16, 24), (side * 26, 31), (side * 34, 40)],
                                    halfThickness: 0.3, brightness: 1.0, kind: .line))
            scene.bands.append(Band([(side * 30, 16), (side * 40, 22), (side * 52, 34)],
                                    halfThickness: 0.3, brightness: 0.8, kind: .line))
        }
        return scene
    }

    /// Lumbar transverse view through the interlaminar space (L5-S1 in the standard clips):
    /// the midline window shows the posterior complex (ligamentum flavum, dura) over the
    /// anechoic thecal sac and the anterior complex; facet joints on both sides with their
    /// capsules; sacral ala and the posterior iliac crests at the edges.
    static func lumbarTransverseInterlaminar(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        var scene = AnatomyScene(xMin: xMin, xMax: xMax, seed: seed)
        scene.addLumbarSoftTissue(fatDepth: 14, sagittal: false)
        // Anterior complex: back of the vertebral body and disc.
        scene.addSurface(from: -9.5, to: 9.5, strength: 0.75) { x in 64 + 0.015 * x * x }
        // Articular processes, the facet joint cleft at their crest: the beam slips into the
        // joint and meets bone again deeper, at a poor angle.
        func articular(_ x: Double) -> Double { 46.5 - 6 * sin(.pi * (x - 9) / 18) }
        scene.addMirroredSurface(from: 9, to: 27, strength: 1.0) { x in
            abs(x - AnatomyScene.facetX) < 0.6 ? nil : articular(x)
        }
        scene.addMirroredSurface(from: 9, to: 27, strength: 0.05) { x in articular(x) + 3.5 }
        // Sacral ala, sloping down laterally.
        scene.addMirroredSurface(from: 28.5, to: 46, strength: 0.85) { x in 49 + 0.2 * (x - 28.5) }
        // Posterior iliac crest rising towards the skin at the edges of the view.
        scene.addMirroredSurface(from: 40, to: 80, strength: 0.95) { x in 58 - 0.75 * (x - 40) }
        for side in [-1.0, 1.0] {
            // Facet capsule arching over the joint, joint fluid beneath it.
            let j = side * AnatomyScene.facetX
            scene.bands.append(Band([(j - side * 3.6, 40.4), (j, facetCapsuleDepth), (j + side * 3.6, 40.3)],
                                    halfThickness: 0.5, brightness: 4, kind: .line))
            scene.bands.append(Band([(j - 1.2, 39.9), (j + 1.2, 39.9)], halfThickness: 0.5, brightness: 0, kind: .fluid))
            scene.bands.append(Band([(j, 40.2), (j, 44.5)], halfThickness: 0.5, brightness: 0, kind: .fluid))
            scene.bands.append(Band([(side * 7, 20), (side * 16, 26), (side * 24, 33)],
                                    halfThickness: 0.3, brightness: 1.0, kind: .line))
        }
        // Interspinous ligament: a faint vertical fibrous band in the midline.
        scene.bands.append(Band([(0, 17), (0, 43)], halfThickness: 2.2, brightness: 0.32, kind: .ligament))
        // Posterior complex: ligamentum flavum and posterior dura as one bright line...
        scene.bands.append(Band([(-7.5, 49.6), (0, 48.4), (7.5, 49.6)], halfThickness: 0.6, brightness: 5.5, kind: .line))
        // ...over the anechoic thecal sac.
        scene.bands.append(Band([(-6, 55.5), (6, 55.5)], halfThickness: 4.5, brightness: 0, kind: .fluid))
        return scene
    }

    /// Lateral position of the facet joint cleft in the interlaminar transverse view, mm.
    static let facetX = 18.0
    /// Depth of the top of the facet capsule over the cleft in that view, mm.
    static let facetCapsuleDepth = 39.0

    /// Lumbar paramedian sagittal view over the articular processes: a continuous wavy bone
    /// line ("camel humps"), a facet joint with its capsule at every crest.
    static func lumbarParasagittalArticular(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        var scene = AnatomyScene(xMin: xMin, xMax: xMax, seed: seed)
        scene.addLumbarSoftTissue(fatDepth: 11, sagittal: true)
        let period = SpineScene.lumbarParasagittalArticular.segmentMillimetres
        func hump(_ x: Double) -> Double { 51 - 12 * pow(abs(cos(.pi * x / period)), 0.65) }
        scene.addSurface(from: xMin, to: xMax, strength: 1.0, roughness: 0.9) { x in
            // The facet joint cleft at every crest: a gap, bone again a little deeper.
            abs(x - (x / period).rounded() * period) < 0.6 ? nil : hump(x)
        }
        scene.addSurface(from: xMin, to: xMax, strength: 0.05) { x in hump(x) + 3.5 }
        let first = Int((xMin / period).rounded(.down)), last = Int((xMax / period).rounded(.up))
        for k in first...last {
            let j = Double(k) * period
            scene.bands.append(Band([(j - 5, 38.4), (j, lumbarArticularCapsuleDepth), (j + 5, 38.4)],
                                    halfThickness: 0.5, brightness: 4, kind: .line))
            scene.bands.append(Band([(j - 1.4, 38.0), (j + 1.4, 38.0)], halfThickness: 0.55, brightness: 0, kind: .fluid))
            scene.bands.append(Band([(j, 38.3), (j, 42.8)], halfThickness: 0.5, brightness: 0, kind: .fluid))
        }
        // Multifidus under the longissimus: an intermuscular plane.
        scene.layers.append(Layer(top: Wave(base: 27, slope: 0, amplitude: 2.5, period: 55, phase: 1.1),
                                  tissue: .muscle(fiberAngle: -0.12), fascia: 0.9))
        return scene
    }

    /// Depth of the facet capsule crest in the lumbar articular view, mm.
    static let lumbarArticularCapsuleDepth = 36.8
}
