// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// The embedding and vector-search kernels are compiled for AVX2 + FMA (-target-cpu haswell: every x86 server CPU since 2013) on x86_64 hosts: the
// SIMD matrix multiply needs fused multiply-adds to be fast. Other architectures use their own baseline (arm64 has FMA).
// The kernels (embedding and vector search) are optimised in debug builds too: unoptimised, the encoder embeds a few
// sentences a second, too slow for the tests that run it on real notes.
let kernelsOptimised: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#if arch(x86_64)
    let embeddingCodegen: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])] + kernelsOptimised
#else
    let embeddingCodegen: [SwiftSetting] = kernelsOptimised
#endif

let package = Package(
    name: "Decisioning",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "decisioning", targets: ["decisioning"]),
        .library(name: "DecisioningCore", targets: ["DecisioningCore"]),
        .library(name: "DecisioningStore", targets: ["DecisioningStore"]),
        .library(name: "DecisioningMySQL", targets: ["DecisioningMySQL"]),
        .library(name: "DecisioningIngest", targets: ["DecisioningIngest"]),
        .library(name: "DecisioningAnalytics", targets: ["DecisioningAnalytics"]),
        .library(name: "DecisioningApplication", targets: ["DecisioningApplication"]),
        .library(name: "DecisioningVectors", targets: ["DecisioningVectors"]),
        .library(name: "DecisioningEmbedding", targets: ["DecisioningEmbedding"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // Domain values shared by every layer: money, dates, schema, configuration, seeded randomness.
        .target(name: "DecisioningCore", swiftSettings: strict),
        // The system of record: migrations, batch writes, scans, run persistence.
        .target(
            name: "DecisioningStore",
            dependencies: [
                "DecisioningCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // MariaDB Connector/C (Debian: libmariadb-dev), with a header of inline wrappers for macros.
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        // The MySQL / MariaDB / HeatWave Store: connections, pool, TLS, capability probe, HeatWave statements.
        .target(name: "DecisioningMySQL", dependencies: ["CMariaDB", "DecisioningCore", "DecisioningStore"], swiftSettings: strict),
        // CSV / JSONL parsing and validation into the Store.
        .target(name: "DecisioningIngest", dependencies: ["DecisioningCore", "DecisioningStore"], swiftSettings: strict),
        // Plans, SQL renderers, the column engine, the Warehouse and the named analyses.
        .target(
            name: "DecisioningAnalytics",
            dependencies: ["DecisioningCore", "DecisioningStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // The six agents, the orchestrator and the run's outputs (results.json, report, dashboard).
        .target(
            name: "DecisioningAgents",
            dependencies: [
                "DecisioningCore", "DecisioningStore", "DecisioningAnalytics", "DecisioningLearning", "DecisioningVectors",
                .product(name: "Plot", package: "Plot"), .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Output/Resources/report.css")],
            swiftSettings: strict),
        // In-process machine learning: anomaly detection, supervised learning, forecasting, AutoML.
        .target(name: "DecisioningLearning", dependencies: ["DecisioningCore"], swiftSettings: strict),
        // Vector search: exact (blocked SIMD scan) and HNSW (deterministic parallel build), .npy files, saved indexes.
        .target(
            name: "DecisioningVectors", dependencies: ["DecisioningCore", "CVectorPrefetch"], swiftSettings: strict + embeddingCodegen),
        // The cache prefetch hint the HNSW walk issues ahead of its loads (no Swift spelling exists for it).
        .target(name: "CVectorPrefetch"),
        // glibc's allocator: its parameters (mallopt, set by the CLI at start), malloc_trim and a probe of its block flag,
        // none of which Swift can name.
        .target(name: "CAllocator"),
        // Sentence embeddings in process: all-MiniLM-L6-v2 from safetensors, WordPiece, BERT on our SIMD kernels.
        .target(name: "DecisioningEmbedding", dependencies: ["DecisioningCore"], swiftSettings: strict + embeddingCodegen),
        // The synthetic company with planted truth.
        .target(name: "DecisioningSynth", dependencies: ["DecisioningCore", "DecisioningStore"], swiftSettings: strict),
        // The use cases every front end calls: open a store, generate if empty, run a flow, list runs, run an analysis, ingest.
        .target(
            name: "DecisioningApplication",
            dependencies: [
                "DecisioningCore", "DecisioningStore", "DecisioningMySQL", "DecisioningIngest", "DecisioningSynth", "DecisioningAnalytics",
                "DecisioningAgents", "DecisioningLearning", "DecisioningVectors", "DecisioningEmbedding", "CAllocator",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // The semantic model `ask` reads (docs/questions.md); the configuration adds to it.
            resources: [.embedInCode("Questions/Resources/semantic-model.json")],
            swiftSettings: strict),
        // Decisioning's tools and resources for LLM clients over MCP (stdio and streamable HTTP); they
        // call the application layer.
        .target(
            name: "DecisioningMCP",
            dependencies: [
                "DecisioningCore", "DecisioningStore", "DecisioningAnalytics", "DecisioningAgents", "DecisioningApplication",
                .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // `decisioning serve`: the HTTP API, server-sent events, the web dashboard, the scheduler and the
        // webhook dispatcher, as services of one ServiceGroup. Routes are thin: they call the application layer.
        .target(
            name: "DecisioningService",
            dependencies: [
                "DecisioningCore", "DecisioningStore", "DecisioningAnalytics", "DecisioningAgents", "DecisioningApplication",
                "DecisioningEmbedding", "DecisioningMCP", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Plot", package: "Plot"),
            ],
            resources: [
                .embedInCode("Resources/openapi.json"), .embedInCode("Resources/web.css"), .embedInCode("Resources/progress.js"),
            ],
            swiftSettings: strict),
        // Commands; the executable only calls into this.
        .target(
            name: "DecisioningCLI",
            dependencies: [
                "DecisioningCore", "DecisioningStore", "DecisioningMySQL", "DecisioningIngest", "DecisioningSynth", "DecisioningAnalytics",
                "DecisioningAgents", "DecisioningLearning", "DecisioningVectors", "DecisioningEmbedding",
                "DecisioningApplication", "DecisioningService", "DecisioningMCP", "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "decisioning", dependencies: ["DecisioningCLI"], swiftSettings: strict),

        .testTarget(name: "DecisioningCoreTests", dependencies: ["DecisioningCore"], swiftSettings: strict),
        .testTarget(name: "DecisioningStoreTests", dependencies: ["DecisioningStore"], swiftSettings: strict),
        // Finds the MariaDB servers scripts/test.sh starts, and makes scratch databases on them.
        .target(
            name: "DecisioningTestSupport", dependencies: ["DecisioningCore", "DecisioningStore", "DecisioningMySQL"],
            path: "Tests/Support", swiftSettings: strict),
        .testTarget(
            name: "DecisioningMySQLTests",
            dependencies: [
                "DecisioningMySQL", "DecisioningIngest", "DecisioningSynth", "DecisioningApplication", "DecisioningTestSupport",
                "DecisioningAgents",
            ],
            swiftSettings: strict),
        .testTarget(name: "DecisioningIngestTests", dependencies: ["DecisioningIngest"], swiftSettings: strict),
        .testTarget(
            name: "DecisioningLearningTests", dependencies: ["DecisioningLearning", "DecisioningSynth", "DecisioningStore"],
            swiftSettings: strict),
        .testTarget(
            name: "DecisioningAgentsTests", dependencies: ["DecisioningAgents", "DecisioningSynth", "DecisioningTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "DecisioningAnalyticsTests", dependencies: ["DecisioningAnalytics", "DecisioningSynth", "DecisioningTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "DecisioningVectorsTests", dependencies: ["DecisioningVectors", "DecisioningCore"], swiftSettings: strict),
        // The model tests read the reference vectors of bench/minilm_numpy.py from Fixtures.
        .testTarget(
            name: "DecisioningEmbeddingTests", dependencies: ["DecisioningEmbedding", "DecisioningCore"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(name: "DecisioningSynthTests", dependencies: ["DecisioningSynth", "DecisioningIngest"], swiftSettings: strict),
        .testTarget(
            name: "DecisioningApplicationTests", dependencies: ["DecisioningApplication", "DecisioningSynth", "DecisioningEmbedding"],
            swiftSettings: strict),
        .testTarget(
            name: "DecisioningServiceTests",
            dependencies: [
                "DecisioningService", "DecisioningSynth", "DecisioningTestSupport", "DecisioningEmbedding",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            // The webhook receiver the tests start in a Python process of its own.
            exclude: ["Fixtures"],
            swiftSettings: strict),
        // The `decisioning` binary end to end, run as a child process (it is built with the tests).
        .testTarget(
            name: "DecisioningCLITests",
            dependencies: ["DecisioningCLI", "DecisioningCore", "DecisioningStore", "DecisioningTestSupport"],
            // The MCP client (the official Python SDK) the tests run against `decisioning mcp` and `/mcp`.
            exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
