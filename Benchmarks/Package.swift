// swift-tools-version:5.9
import PackageDescription

// migcheck's benchmark, a package of its own (as swift-nio keeps its benchmarks): it measures
// the migcheck *binary* built by the main package (../.build/release/migcheck by default) and
// imports none of its code, so `swift build` and `swift test` of migcheck never build it.
//
//   swift build -c release                                                 # migcheck, in the root
//   swift run -c release --package-path Benchmarks migcheck-bench --smoke
//
// Foundation only, no package dependencies.
let package = Package(
    name: "migcheck-benchmarks",
    products: [
        .executable(name: "migcheck-bench", targets: ["migcheck-bench"]),
    ],
    targets: [
        .executableTarget(name: "migcheck-bench"),
    ]
)
