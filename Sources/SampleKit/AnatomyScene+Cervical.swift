import Foundation

extension AnatomyScene {
    /// Cervical posterior paramedian sagittal view over the articular pillars: thin neck
    /// layers (trapezius, splenius, semispinalis, multifidus) in long axis over a sawtooth of
    /// pillars; in each notch a facet joint with its capsule. Cranial is to the left.
    static func cervicalParasagittalPillar(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        var scene = AnatomyScene(xMin: xMin, xMax: xMax, seed: seed)
        scene.layers = [
            Layer(top: Wave(base: -1), tissue: .skin, fascia: 0),
            Layer(top: Wave(base: 1.3, amplitude: 0.1, period: 19), tissue: .fat, fascia: 0),
            Layer(top: Wave(base: 4.2, amplitude: 0.5, period: 41), tissue: .muscle(fiberAngle: 0.05), fascia: 2.0),
            Layer(top: Wave(base: 7.3, slope: 0.02, amplitude: 0.7, period: 37, phase: 1), tissue: .muscle(fiberAngle: -0.09), fascia: 1.4),
            Layer(top: Wave(base: 11.6, slope: 0.03, amplitude: 0.8, period: 45, phase: 2), tissue: .muscle(fiberAngle: 0.12), fascia: 1.5),
            Layer(top: Wave(base: 16.4, slope: 0.04, amplitude: 0.6, period: 33, phase: 0.3), tissue: .muscle(fiberAngle: -0.2), fascia: 1.1),
        ]
        let period = SpineScene.cervicalParasagittalPillar.segmentMillimetres
        // Each pillar's back surface: slightly convex, sloping deeper caudally, so the row of
        // pillars reads as a sawtooth with a step at every joint.
        func pillar(_ t: Double) -> Double { 21.6 + 2.6 * t - 0.8 * sin(.pi * t) }
        scene.addSurface(from: xMin, to: xMax, strength: 1.0) { x in
            let t = x / period - (x / period).rounded(.down)
            // The joint: a narrow gap just cranial to the step.
            return (1 - t) * period < 0.7 ? nil : pillar(t)
        }
        // Inside the joint the beam meets bone again a little deeper, at a poor angle.
        scene.addSurface(from: xMin, to: xMax, strength: 0.02) { _ in 25.6 }
        let first = Int((xMin / period).rounded(.down)), last = Int((xMax / period).rounded(.up))
        let reach = 2.5
        for k in first...last {
            let j = Double(k) * period
            // Capsule bridging the step just above the bone, joint fluid beneath it.
            scene.bands.append(Band([(j - reach, pillar(1 - reach / period) - 0.55), (j, cervicalCapsuleDepth),
                                     (j + reach, pillar(reach / period) - 0.55)],
                                    halfThickness: 0.25, brightness: 3.5, kind: .line))
            scene.bands.append(Band([(j - 0.9, 23.6), (j + 0.3, 23.0)], halfThickness: 0.4, brightness: 0, kind: .fluid))
            // The joint space itself (cartilage, fluid) is dark down to the bone.
            scene.bands.append(Band([(j - 0.35, 23.4), (j - 0.35, 25.8)], halfThickness: 0.45, brightness: 0, kind: .fluid))
        }
        return scene
    }

    /// Depth of the facet capsule over the joint (x = 0 of each level) in the pillar view, mm.
    static let cervicalCapsuleDepth = 22.6
}
