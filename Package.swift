// swift-tools-version:5.9
import PackageDescription

// Design card: Foundation and XCTest only, no package dependencies.
//
// The library is split along the flow, each target depending only on those before it
// (docs/architecture.md): foundation ← reading ← picture ← rules ← reports ← CLI.
let package = Package(
    name: "migcheck",
    products: [
        .executable(name: "migcheck", targets: ["migcheck"]),
        .library(name: "MigCheckCore", targets: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture",
                                                 "MigCheckRules", "MigCheckReports"]),
        .library(name: "MigCheckCLI", targets: ["MigCheckCLI"]),
    ],
    targets: [
        // Positions, phases, severities, escaping, JSON writing: what every layer speaks.
        .target(name: "MigCheckFoundation"),
        // Input files, the JSON scanner, Terraform plans and states, the .tf source locator.
        .target(name: "MigCheckReading", dependencies: ["MigCheckFoundation"]),
        // The migration's picture: which cluster is which, in which phase.
        .target(name: "MigCheckPicture", dependencies: ["MigCheckFoundation", "MigCheckReading"]),
        // The rule engine, the catalog, the policy; running a rule's example.
        .target(name: "MigCheckRules", dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture"]),
        // The report formats, topology, summary, the rule pages.
        .target(name: "MigCheckReports",
                dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules"]),
        // Options, commands, streams, report files, exit codes: run(arguments:environment:).
        // `--version` names the commit too: the BuildCommit plugin writes it before each build.
        .target(name: "MigCheckCLI",
                dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckReports"],
                plugins: ["BuildCommit"]),
        // A build tool plugin of the package itself (the toolchain's PackagePlugin, no dependency).
        .plugin(name: "BuildCommit", capability: .buildTool()),
        .executableTarget(
            name: "migcheck",
            dependencies: ["MigCheckCLI"],
            // The Swift runtime linked in, as `swift build --static-swift-stdlib` would: a
            // self-contained binary that starts faster and maps about 2 MB less. Release only:
            // the debug test build links this target into the test runner with Foundation.
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        // What the tests of every layer share: paths, the binary and in-process runners, the
        // independent reference reader, external tools and the rule harness. `swift build`
        // compiles it in release too, so it imports the modules without @testable.
        .target(name: "MigCheckTestSupport",
                dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckReports",
                               "MigCheckCLI"],
                path: "Tests/MigCheckTestSupport"),
        // One test target per library target (Tests/ mirrors Sources/).
        .testTarget(name: "MigCheckFoundationTests", dependencies: ["MigCheckFoundation", "MigCheckTestSupport"]),
        .testTarget(name: "MigCheckReadingTests", dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckTestSupport"]),
        // The picture's tests build their plans with the rules layer's example plans (MigrationExamples).
        .testTarget(name: "MigCheckPictureTests",
                    dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckTestSupport"]),
        .testTarget(name: "MigCheckRulesTests",
                    dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckTestSupport"]),
        .testTarget(name: "MigCheckReportsTests",
                    dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckReports",
                                   "MigCheckTestSupport"]),
        .testTarget(name: "MigCheckCLITests",
                    dependencies: ["MigCheckFoundation", "MigCheckReading", "MigCheckPicture", "MigCheckRules", "MigCheckReports",
                                   "MigCheckCLI", "MigCheckTestSupport"]),
    ]
)
