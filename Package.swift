// swift-tools-version:5.9
import PackageDescription

// Design card: Foundation and XCTest only, no package dependencies.
let package = Package(
    name: "migcheck",
    products: [
        .executable(name: "migcheck", targets: ["migcheck"]),
        .library(name: "MigCheckCore", targets: ["MigCheckCore"]),
    ],
    targets: [
        .target(name: "MigCheckCore"),
        .executableTarget(
            name: "migcheck",
            dependencies: ["MigCheckCore"],
            // The Swift runtime linked in, as `swift build --static-swift-stdlib` would: a
            // self-contained binary that starts faster and maps about 2 MB less. Release only:
            // the debug test build links this target into the test runner with Foundation.
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(
            name: "MigCheckCoreTests",
            dependencies: ["MigCheckCore"]
        ),
    ]
)
