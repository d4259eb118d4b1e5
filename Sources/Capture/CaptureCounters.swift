/// What a capture or import has done so far: the figures the tech's status line and
/// `/metrics` show, and what an import reports at the end.
public struct CaptureCounters: Sendable, Equatable, Codable {
    /// Packets read from the source.
    public var packets = 0
    /// Packets written to the recording (equal to `packets` unless recording failed).
    public var packetsRecorded = 0
    public var framesDecoded = 0
    /// Frames that went through freeze detection.
    public var framesAnalysed = 0
    /// Frames passed over by design: analysis looks at most `analysisRate` frames a second.
    public var framesThinned = 0
    /// Frames analysis had to let pass because it was behind (a live source under load).
    public var framesSkipped = 0
    /// Pictures an import let the decoder drop: non-reference pictures that analysis would
    /// have passed over (the recording keeps every one). Packets that gave no picture and
    /// were not counted as damaged.
    public var framesNotDecoded = 0
    /// Packets the decoder rejected and frames it flagged as damaged.
    public var decodeErrors = 0
    public var stills = 0
    /// Freeze or snap stills not stored because they repeated the previous still.
    public var duplicateStills = 0
    public var recordingBytes: Int64 = 0

    public init() {}
}

extension CaptureCounters {
    /// Both sets of counts added, field by field: a daemon's totals over its sessions.
    public static func + (lhs: CaptureCounters, rhs: CaptureCounters) -> CaptureCounters {
        var sum = CaptureCounters()
        sum.packets = lhs.packets + rhs.packets
        sum.packetsRecorded = lhs.packetsRecorded + rhs.packetsRecorded
        sum.framesDecoded = lhs.framesDecoded + rhs.framesDecoded
        sum.framesAnalysed = lhs.framesAnalysed + rhs.framesAnalysed
        sum.framesThinned = lhs.framesThinned + rhs.framesThinned
        sum.framesSkipped = lhs.framesSkipped + rhs.framesSkipped
        sum.framesNotDecoded = lhs.framesNotDecoded + rhs.framesNotDecoded
        sum.decodeErrors = lhs.decodeErrors + rhs.decodeErrors
        sum.stills = lhs.stills + rhs.stills
        sum.duplicateStills = lhs.duplicateStills + rhs.duplicateStills
        sum.recordingBytes = lhs.recordingBytes + rhs.recordingBytes
        return sum
    }
}
