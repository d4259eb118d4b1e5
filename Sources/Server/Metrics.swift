import Capture
import Prometheus
import Synchronization
import Workflows

/// `GET /metrics` through swift-prometheus: gauges for what the recorder shows now, and
/// counters that only grow over the daemon's life (each scrape adds what the desk's totals
/// gained since the one before; a session's own counters start again at 0, so they are not
/// counters in Prometheus' sense).
final class MetricsExporter: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let counters: [(Counter, @Sendable (CaptureCounters) -> Int)]
    private let gauges: [(Gauge, @Sendable (StatusResponse) -> Double)]
    /// The totals the counters have been advanced to.
    private let counted = Mutex(CaptureCounters())

    /// The whole name as written (its unit already in it), with its help line.
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func counter(_ name: String, _ help: String, _ value: @escaping @Sendable (CaptureCounters) -> Int) -> (Counter, @Sendable (CaptureCounters) -> Int) {
            (registry.makeCounter(descriptor: Self.descriptor(name, help)), value)
        }
        func gauge(_ name: String, _ help: String, _ value: @escaping @Sendable (StatusResponse) -> Double) -> (Gauge, @Sendable (StatusResponse) -> Double) {
            (registry.makeGauge(descriptor: Self.descriptor(name, help)), value)
        }
        counters = [
            counter("needlelog_packets_total", "Packets read from the source since the daemon started.", \.packets),
            counter("needlelog_packets_recorded_total", "Packets written to recordings.", \.packetsRecorded),
            counter("needlelog_frames_decoded_total", "Frames decoded for analysis.", \.framesDecoded),
            counter("needlelog_frames_analysed_total", "Frames that went through freeze detection.", \.framesAnalysed),
            counter("needlelog_frames_thinned_total", "Frames passed over by design (analysis rate).", \.framesThinned),
            counter("needlelog_frames_skipped_total", "Frames analysis skipped because it was behind.", \.framesSkipped),
            counter("needlelog_decode_errors_total", "Damaged packets or frames.", \.decodeErrors),
            counter("needlelog_stills_total", "Stills stored.", \.stills),
        ]
        gauges = [
            gauge("needlelog_recording", "1 while a session is recording.") { $0.state == .recording ? 1 : 0 },
            gauge("needlelog_recording_bytes", "Bytes in the current recording so far.") { Double($0.counters.recordingBytes) },
            gauge("needlelog_frames_per_second", "Frames a second the source delivers (last two seconds).") { $0.framesPerSecond },
            gauge("needlelog_signal", "1 while the live source delivers pictures, 0 without signal.") { ($0.source?.signal ?? false) ? 1 : 0 },
            gauge("needlelog_no_signal_seconds", "How long the source has been without signal.") { $0.source?.noSignalSeconds ?? 0 },
            gauge("needlelog_recording_parts", "Parts of the session's recording (one more each time the source came back).") { Double($0.source?.parts ?? 0) },
            gauge("needlelog_source_clock_drift_seconds", "Source clock minus wall clock at the newest packet.") { $0.source?.drift ?? 0 },
            gauge("needlelog_archive_backlog_writes", "Archive writes waiting for the database (held locked by another program).") { Double($0.archive?.writes ?? 0) },
            gauge("needlelog_archive_backlog_oldest_seconds", "How long the oldest waiting archive write has waited.") { $0.archive?.oldestSeconds ?? 0 },
            gauge("needlelog_disk_free_bytes", "Free bytes on the archive's disk.") { Double($0.disk?.freeBytes ?? 0) },
            gauge("needlelog_disk_recording_seconds_left", "Seconds of recording left at the current data rate before the reserve (-1 when unknown).") {
                $0.disk?.secondsLeft ?? -1
            },
            gauge("needlelog_disk_warning", "0 ok, 1 warning (30 minutes left), 2 critical (10 minutes left).") {
                $0.disk.map { $0.level == .critical ? 2 : $0.level == .warning ? 1 : 0 } ?? 0
            },
        ]
    }

    /// The exposition text (version 0.0.4) for the desk's status now.
    func text(_ status: StatusResponse) -> String {
        counted.withLock { last in
            for (counter, value) in counters {
                let grown = value(status.totals) - value(last)
                if grown > 0 { counter.increment(by: Int64(grown)) }
            }
            last = status.totals
        }
        for (gauge, value) in gauges { gauge.set(to: value(status)) }
        return registry.emitToString()
    }
}
