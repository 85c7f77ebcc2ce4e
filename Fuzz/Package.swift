// swift-tools-version:6.1
// libFuzzer targets for Decisioning's parsers. Build and run with `make fuzz` from the repository root;
// see README.md here. Every target is built with `-sanitize=fuzzer,address` passed on the command line.
import Foundation
import PackageDescription

// The Decisioning package is the parent directory (DECISIONING_ROOT overrides it, e.g. to fuzz another
// checkout). A path dependency is named by its directory's last path component, not by its manifest name.
let rootPath = URL(fileURLWithPath: Context.environment["DECISIONING_ROOT"] ?? Context.packageDirectory + "/..")
    .standardizedFileURL.path
let root = URL(fileURLWithPath: rootPath).lastPathComponent

func decisioning(_ product: String) -> Target.Dependency { .product(name: product, package: root) }

// Each target defines `LLVMFuzzerTestOneInput` and is compiled as a library (no top-level code). SwiftPM
// links an executable on Linux with `--defsym main=<module>_main` (on macOS `-alias`), which would leave
// libFuzzer's own `main` unused and `<module>_main` undefined, so each target also defines `<module>_main`,
// which hands over to libFuzzer through `LLVMFuzzerRunDriver` (FuzzSupport.runLibFuzzer).
let fuzzerSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Sources/\(name)", swiftSettings: fuzzerSettings)
}

let package = Package(
    name: "DecisioningFuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fuzz-csv", targets: ["fuzz-csv"]),
        .executable(name: "fuzz-jsonl", targets: ["fuzz-jsonl"]),
        .executable(name: "fuzz-config", targets: ["fuzz-config"]),
        .executable(name: "fuzz-url", targets: ["fuzz-url"]),
        .executable(name: "fuzz-plan", targets: ["fuzz-plan"]),
    ],
    dependencies: [.package(path: rootPath)],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, declared for Swift.
        .target(name: "CFuzzer"),
        // The byte reader the targets decode their inputs with, an in-memory Store and the check helper.
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", decisioning("DecisioningCore"), decisioning("DecisioningStore")]),
        // Ingesting fuzz bytes as a file into a MemoryStore, with the checks common to CSV and JSON Lines.
        .target(
            name: "IngestSupport",
            dependencies: [
                "FuzzSupport", decisioning("DecisioningCore"), decisioning("DecisioningStore"), decisioning("DecisioningIngest"),
            ]),
        fuzzTarget("fuzz-csv", ["IngestSupport", decisioning("DecisioningCore"), decisioning("DecisioningIngest")]),
        fuzzTarget("fuzz-jsonl", ["IngestSupport", decisioning("DecisioningCore"), decisioning("DecisioningIngest")]),
        fuzzTarget("fuzz-config", [decisioning("DecisioningCore")]),
        fuzzTarget("fuzz-url", [decisioning("DecisioningCore")]),
        fuzzTarget("fuzz-plan", [decisioning("DecisioningCore"), decisioning("DecisioningAnalytics")]),
    ],
    swiftLanguageModes: [.v6]
)
