import Foundation

/// Where the benchmark finds things, whatever the working directory: relative to this
/// package's root (`Benchmarks/`), which the compiler records in `#filePath`. The bench
/// runs from the clone it was built in, so the path stays right.
enum Paths {
    /// `Benchmarks/`: this file is `Benchmarks/Sources/migcheck-bench/Paths.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository root: the main package, whose release build is measured.
    static let repositoryRoot: URL = packageRoot.deletingLastPathComponent()

    /// The binary `swift build -c release` of the main package writes.
    static let defaultMigcheck = repositoryRoot.appendingPathComponent(".build/release/migcheck").path

    /// The healthy migration, shared with the fixture generator (`HealthyMigration`).
    static let model = repositoryRoot.appendingPathComponent("Fixtures/tools/healthy-migration.json").path

    /// Generated plans are cached in this package's own build folder.
    static let defaultPlanDirectory = packageRoot.appendingPathComponent(".build/bench-plans").path
}
