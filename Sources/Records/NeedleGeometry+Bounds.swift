extension NeedleGeometry {
    /// Checks that every point lies on a `width` x `height` still (edges included):
    /// a drawing is saved only against the picture it marks, and a stored one is
    /// checked again before it is drawn or exported, so a value that slipped in by an
    /// older version is refused with this error instead of reaching pixel arithmetic.
    ///
    /// - Throws: ``RecordError/pointOutsideImage(x:y:width:height:)``.
    public func requireInside(width: Int, height: Int) throws(RecordError) {
        for point in [entry, tip] + [target].compactMap(\.self) {
            guard point.x.isFinite, point.y.isFinite,
                  (0...Double(width)).contains(point.x), (0...Double(height)).contains(point.y) else {
                throw .pointOutsideImage(x: point.x, y: point.y, width: width, height: height)
            }
        }
    }
}
