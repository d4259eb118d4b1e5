import Capture
import Workflows

/// The capture counters in Prometheus' text exposition format (version 0.0.4), for
/// `GET /metrics`. Written by hand: a dozen counters do not need a metrics library.
enum Metrics {
    static func text(_ status: StatusResponse) -> String {
        let c = status.counters
        let rows: [(name: String, type: String, help: String, value: String)] = [
            ("needlelog_recording", "gauge", "1 while a session is recording.", status.state == .recording ? "1" : "0"),
            ("needlelog_packets_total", "counter", "Packets read from the source in this session.", "\(c.packets)"),
            ("needlelog_packets_recorded_total", "counter", "Packets written to the recording.", "\(c.packetsRecorded)"),
            ("needlelog_frames_decoded_total", "counter", "Frames decoded for analysis.", "\(c.framesDecoded)"),
            ("needlelog_frames_analysed_total", "counter", "Frames that went through freeze detection.", "\(c.framesAnalysed)"),
            ("needlelog_frames_thinned_total", "counter", "Frames passed over by design (analysis rate).", "\(c.framesThinned)"),
            ("needlelog_frames_skipped_total", "counter", "Frames analysis skipped because it was behind.", "\(c.framesSkipped)"),
            ("needlelog_decode_errors_total", "counter", "Damaged packets or frames.", "\(c.decodeErrors)"),
            ("needlelog_stills_total", "counter", "Stills stored.", "\(c.stills)"),
            ("needlelog_recording_bytes", "gauge", "Bytes in the recording so far.", "\(c.recordingBytes)"),
            ("needlelog_frames_per_second", "gauge", "Frames a second the source delivers (last two seconds).", String(format: "%.2f", status.framesPerSecond)),
            ("needlelog_signal", "gauge", "1 while the live source delivers pictures, 0 without signal.", status.source.map { $0.signal ? "1" : "0" } ?? "0"),
            ("needlelog_no_signal_seconds", "gauge", "How long the source has been without signal.", String(format: "%.1f", status.source?.noSignalSeconds ?? 0)),
            ("needlelog_recording_parts", "gauge", "Parts of the session's recording (one more each time the source came back).", "\(status.source?.parts ?? 0)"),
            ("needlelog_source_clock_drift_seconds", "gauge", "Source clock minus wall clock at the newest packet.", String(format: "%.3f", status.source?.drift ?? 0)),
            ("needlelog_archive_backlog_writes", "gauge", "Archive writes waiting for the database (held locked by another program).", "\(status.archive?.writes ?? 0)"),
            ("needlelog_archive_backlog_oldest_seconds", "gauge", "How long the oldest waiting archive write has waited.", String(format: "%.1f", status.archive?.oldestSeconds ?? 0)),
            ("needlelog_disk_free_bytes", "gauge", "Free bytes on the archive's disk.", "\(status.disk?.freeBytes ?? 0)"),
            ("needlelog_disk_recording_seconds_left", "gauge", "Seconds of recording left at the current data rate before the reserve (-1 when unknown).",
             String(format: "%.0f", status.disk?.secondsLeft ?? -1)),
            ("needlelog_disk_warning", "gauge", "0 ok, 1 warning (30 minutes left), 2 critical (10 minutes left).",
             status.disk.map { $0.level == .critical ? "2" : $0.level == .warning ? "1" : "0" } ?? "0"),
        ]
        return rows.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type)\n\($0.name) \($0.value)\n" }.joined()
    }
}
