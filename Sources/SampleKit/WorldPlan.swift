import Foundation

/// Decides which tissue textures a clip needs and builds them.
///
/// Views of the same sagittal scene under a linear probe share one wide texture, so moving
/// between levels is a true slide along the spine. Other moves (transverse levels, or any
/// move under a curvilinear probe) cross-fade between two textures while both slide.
struct WorldPlan: Sendable {
    let worlds: [TissueWorld]
    let placements: [ViewPlacement]
    /// Texture margin beyond the image on every side, samples.
    let margin: Int
    /// How far a cross-faded move slides each image, samples.
    let slide: Double

    init(spec: ClipSpec, layout: ScreenLayout, motion: ProbeMotion) {
        let mmpp = layout.mmPerPixel
        let bounds = layout.region.bounds
        slide = (Double(bounds.width) * 0.12).rounded()
        margin = Int(motion.reach.rounded(.up)) + Int(slide) + 3

        // Group views by world; the order of first appearance fixes the world indices.
        var keys: [(scene: SpineScene, center: Double?)] = []
        var worldOfView: [Int] = []
        for view in spec.views {
            let center: Double? = spec.probe == .linear ? nil : view.centerMillimetres
            if let k = keys.firstIndex(where: { $0.scene == view.scene && $0.center == center }) {
                worldOfView.append(k)
            } else {
                keys.append((view.scene, center))
                worldOfView.append(keys.count - 1)
            }
        }

        var worlds: [TissueWorld] = []
        var uCenterOfWorld: [(Double) -> Double] = []
        let m = Double(margin)
        for (k, key) in keys.enumerated() {
            let seed = SplitMix64.hash(spec.seed, UInt64(k), 0x5CE4E)
            let centers = spec.views.map(\.centerMillimetres).enumerated().filter { worldOfView[$0.offset] == k }.map(\.element)
            let geometry: WorldGeometry
            let width: Int, height: Int
            let xRange: (Double, Double)
            let depth = spec.depthMillimetres
            switch spec.probe {
            case .linear:
                let lo = centers.min() ?? 0, hi = centers.max() ?? 0
                let w = Double(bounds.width)
                let uOrigin = lo - (w / 2 - 0.5 + m) * mmpp
                width = bounds.width + Int(((hi - lo) / mmpp).rounded(.up)) + 2 * margin + 2
                height = bounds.height + 2 * margin + 2
                geometry = WorldGeometry(probe: .linear, radius: 0, mmPerSample: mmpp, angleStep: 0,
                                         uOrigin: uOrigin, vOrigin: (0.5 - m) * mmpp, sceneOffset: 0)
                xRange = (uOrigin - 1, uOrigin + Double(width) * mmpp + 1)
                uCenterOfWorld.append { c in (c - uOrigin) / mmpp }
            case .curvilinear:
                let radius = spec.apertureMillimetres
                let half = spec.fieldOfViewDegrees / 2 * .pi / 180
                let step = mmpp / (radius + 0.45 * depth)
                let uOrigin = -half - m * step
                width = Int((2 * half / step).rounded(.up)) + 2 * margin + 2
                height = Int((depth / mmpp).rounded(.up)) + 2 * margin + 2
                let center = key.center ?? 0
                geometry = WorldGeometry(probe: .curvilinear, radius: radius, mmPerSample: mmpp, angleStep: step,
                                         uOrigin: uOrigin, vOrigin: -m * mmpp, sceneOffset: center)
                let reach = (radius + depth + m * mmpp) * sin(half + m * step) + 1
                xRange = (center - reach, center + reach)
                uCenterOfWorld.append { _ in -uOrigin / step }
            }
            let scene = key.scene.anatomy(xMin: xRange.0, xMax: xRange.1, seed: seed)
            let acoustics = Acoustics(spec: spec)
            worlds.append(TissueWorld(scene: scene, geometry: geometry, width: width, height: height,
                                      acoustics: acoustics, seed: seed ^ 0x5BEC_1E))
        }
        self.worlds = worlds
        placements = spec.views.enumerated().map { index, view in
            let k = worldOfView[index]
            return ViewPlacement(world: k, uCenter: uCenterOfWorld[k](view.centerMillimetres))
        }
    }
}
