// swift-tools-version: 6.1
import PackageDescription

// Dependencies flow downwards only: needlelog -> Media -> CFFmpeg/CPNG.
// Anatomy and Records import nothing but Foundation. The C libraries are
// reached from Media alone; no C pointer appears in Media's public API.
let package = Package(
    name: "NeedleLog",
    products: [
        .executable(name: "needlelog", targets: ["needlelog"]),
        .library(name: "Media", targets: ["Media"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // /metrics in Prometheus' exposition format; swift-metrics comes with Hummingbird already.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Only its bcrypt (a small C target): account passwords.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        // The shared archive of a clinic with several rooms (issue 18): PostgreSQL over SwiftNIO.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // Already in the build through Hummingbird and postgres-nio; named for the database probe.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // FFmpeg 5.1 (Debian 12's libavformat, libavcodec, libavdevice, libswscale,
        // libavutil) plus a shim for what Swift cannot import: AVERROR macros and the
        // va_list log callback. A C target rather than a bare .systemLibrary because the
        // log shim keeps state (a sink, a per-thread last error) that must exist once.
        .target(
            name: "CFFmpeg",
            // libavdevice is not linked: the shim loads it when a device is opened (see shim.c).
            linkerSettings: ["avformat", "avcodec", "swscale", "swresample", "avutil"].map { .linkedLibrary($0) }
        ),
        // libpng behind a shim whose functions own every setjmp, so libpng's longjmp
        // never crosses a Swift frame.
        .target(
            name: "CPNG",
            linkerSettings: [.linkedLibrary("png16")]
        ),
        // sd_notify's protocol (READY, WATCHDOG, STOPPING) for systemd, without libsystemd.
        .target(name: "CNotify"),
        // PocketSphinx 5prealpha (Debian 12's libpocketsphinx-dev) for voice commands
        // (issue 17), found through pkg-config: its headers want sphinxbase's folder on the path.
        .systemLibrary(name: "CPocketSphinx", pkgConfig: "pocketsphinx", providers: [.apt(["libpocketsphinx-dev"])]),
        // The recogniser behind a shim: decoders, utterances and scores as plain C calls.
        .target(name: "CSpeech", dependencies: ["CPocketSphinx"]),
        .target(name: "Media", dependencies: ["CFFmpeg", "CPNG", "CSpeech"]),
        // Voice commands at the table (issue 17): the grammar from Anatomy's catalogue,
        // phrases read as commands, listening to a microphone or a file.
        .target(name: "Voice", dependencies: ["Anatomy", "Media"]),
        // The index (SQLite through GRDB by default, PostgreSQL for a shared archive) and
        // the still files beside it.
        .target(name: "Archive", dependencies: [
            "Anatomy", "Records",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Vertebral levels, sites, structures, laterality, codes, matching: pure Swift.
        .target(name: "Anatomy"),
        // Patients, sessions, injectates, tags, stills, needle annotations: pure values.
        .target(name: "Records", dependencies: ["Anatomy"]),
        // The capture engine: recording, freeze detection, stills, import.
        .target(name: "Capture", dependencies: [
            "Media", "Anatomy", "Records", "Archive",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The clinic's workflows, for the server and the CLI alike: sessions at the table
        // (start, continue, tag, snap, stop), recovery; errors in the clinic's words.
        .target(name: "Workflows", dependencies: [
            "Capture", "Archive", "Media", "Anatomy", "Records", "DICOMExport", "DICOMNetwork", "NeedleDetection", "Voice",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        // The daemon's HTTP side: the tech's control API, review pages, accounts, audit.
        .target(name: "Server", dependencies: [
            "Workflows", "Capture", "Archive", "Media", "Anatomy", "Records",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], resources: [.copy("Public")]),
        // DICOM Part 10 writer, needle presentation states, de-identification, PACS push.
        .target(name: "DICOMExport", dependencies: [
            "Archive", "Media", "Anatomy", "Records",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // DICOM's network side (issue 15): the upper layer and DIMSE over SwiftNIO, as an SCU.
        .target(name: "DICOMNetwork", dependencies: [
            "DICOMExport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The needle found on a still (issue 16): pure Swift over Media's images.
        .target(name: "NeedleDetection", dependencies: ["Media", "Records"]),
        // Synthetic scanner screens for SampleData and for tests: pure Swift.
        .target(name: "SampleKit", dependencies: ["Anatomy"]),
        .executableTarget(
            name: "needlelog-samples",
            dependencies: ["SampleKit", "Media", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "needlelog",
            dependencies: [
                "Media", "Archive", "Capture", "Workflows", "Server", "Anatomy", "Records", "DICOMExport", "CNotify", "NeedleDetection", "Voice",
                "DICOMNetwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // tools/bench-archive: search latency on a synthetic million-still archive.
        .executableTarget(
            name: "needlelog-bench-archive",
            dependencies: ["Archive", "Anatomy", "Records", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // tools/bench-needle: needle detection against SampleKit's ground truth.
        .executableTarget(
            name: "needlelog-bench-needle",
            dependencies: ["NeedleDetection", "SampleKit", "Media", "Records", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // tools/bench-still: PNG encoding and the durable write of 1080p stills.
        .executableTarget(
            name: "needlelog-bench-still",
            dependencies: ["Archive", "Media", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // tools/bench-voice: spoken commands' accuracy, false triggers, delay and CPU.
        .executableTarget(
            name: "needlelog-bench-voice",
            dependencies: ["Voice", "SampleKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MediaTests", dependencies: ["Media"]),
        .testTarget(name: "AnatomyTests", dependencies: ["Anatomy"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "Anatomy"]),
        .testTarget(name: "ArchiveTests", dependencies: [
            "Archive", "Records", "Anatomy", "Media", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Media", "Anatomy", "Records", "Archive", "SampleKit"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Workflows", "Capture", "Archive", "Records", "Media", "Anatomy", "NeedleDetection", "SampleKit",
            "DICOMNetwork", "DICOMExport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "DICOMNetworkTests", dependencies: [
            "DICOMNetwork", "DICOMExport", "SampleKit", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ], exclude: ["Peers"]),
        .testTarget(name: "DICOMExportTests", dependencies: ["DICOMExport", "DICOMNetwork", "Workflows", "Archive", "Media", "Anatomy", "Records", "SampleKit"]),
        .testTarget(name: "SampleKitTests", dependencies: ["SampleKit", "Anatomy", "Records"]),
        .testTarget(name: "VoiceTests", dependencies: ["Voice", "Anatomy", "Media", "SampleKit"]),
        .testTarget(name: "NeedleDetectionTests", dependencies: ["NeedleDetection", "SampleKit", "Media", "Records"]),
    ],
    swiftLanguageModes: [.v6]
)
