// swift-tools-version:6.1
// Micro-benchmarks of the translation core (ordo-one/benchmark). A package of its own so the main build
// and CI never compile the benchmark harness; it builds the core from the same sources (symlinked),
// which keeps the core's `package` API private.
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "onebot-bridge-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "BridgeCore", path: "Sources/BridgeCore"),
        .target(name: "BridgeMapping", dependencies: ["BridgeCore", .product(name: "Yams", package: "Yams")],
                path: "Sources/BridgeMapping"),
        .executableTarget(
            name: "TranslationBenchmarks",
            dependencies: ["BridgeCore", "BridgeMapping", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/TranslationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(name: "ProfileLoop", dependencies: ["BridgeCore", "BridgeMapping"],
                          path: "Profiling/ProfileLoop"),
    ]
)
