import Foundation

extension AnatomyScene {
    /// Thoracic paramedian sagittal view over the transverse processes: square-topped
    /// processes with clean shadows, the superior costotransverse ligament spanning each gap,
    /// and the pleura deeper in the gaps. Segment centres (x = k*period) lie mid-gap.
    static func thoracicParasagittalCostotransverse(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        var scene = AnatomyScene(xMin: xMin, xMax: xMax, seed: seed)
        scene.layers = [
            Layer(top: Wave(base: -1), tissue: .skin, fascia: 0),
            Layer(top: Wave(base: 1.6, amplitude: 0.15, period: 27), tissue: .fat, fascia: 0),
            Layer(top: Wave(base: 6.5, amplitude: 0.8, period: 60), tissue: .muscle(fiberAngle: 0.1), fascia: 2.0),
            Layer(top: Wave(base: 11, amplitude: 1.0, period: 50, phase: 2), tissue: .muscle(fiberAngle: -0.05), fascia: 1.4),
            Layer(top: Wave(base: 21, amplitude: 1.2, period: 42, phase: 0.5), tissue: .muscle(fiberAngle: 0.16), fascia: 0.9),
        ]
        let period = SpineScene.thoracicParasagittalCostotransverse.segmentMillimetres
        let halfTP = 6.2
        let first = Int((xMin / period).rounded(.down)) - 1, last = Int((xMax / period).rounded(.up)) + 1
        for k in first...last {
            let c = Double(k) * period + period / 2  // transverse process centre
            scene.addSurface(from: c - halfTP, to: c + halfTP, strength: 1.0) { x in
                let edge = max(0, abs(x - c) - 3.4)
                return 27.5 + 0.03 * (x - c) + 0.12 * edge * edge * edge
            }
            let g = Double(k) * period  // gap centre
            // Pleura: an air interface in the gap, bright, with haze below.
            scene.addSurface(from: g - period / 2 + halfTP - 1, to: g + period / 2 - halfTP + 1, strength: 1.1, kind: .air) { x in
                39.5 + 0.9 * sin(.pi * (x - g) / 17)
            }
            // Superior costotransverse ligament: fibrillar band from process to process.
            scene.bands.append(Band([(g - period / 2 + halfTP - 0.8, 29.6), (g, 31.0), (g + period / 2 - halfTP + 0.8, 29.8)],
                                    halfThickness: 1.2, brightness: 2.2, kind: .ligament))
        }
        return scene
    }

    /// Depth of the costotransverse ligament at the centre of a gap, mm.
    static let costotransverseDepth = 31.0
}
