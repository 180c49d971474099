import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum Tool: CaseIterable {
    case reader, migcheck, oneThread, allFormats, foundation

    var label: String {
        switch self {
        case .reader: return "migcheck read only"
        case .migcheck: return "migcheck"
        case .oneThread: return "migcheck one thread"
        case .allFormats: return "migcheck all-formats"
        case .foundation: return "JSONSerialization"
        }
    }

    /// The full check with the second thread turned off: what one core does alone.
    var environment: [String] {
        self == .oneThread ? ["MIGCHECK_SINGLE_THREAD=1"] : []
    }
}

enum ToolResult {
    case measured(wallSeconds: Double, peakRSSBytes: Int)
    case skipped(String)
    case failed(String)

    var measurement: (wallSeconds: Double, peakRSSBytes: Int)? {
        if case .measured(let wall, let rss) = self { return (wall, rss) }
        return nil
    }
}

struct BenchRow {
    let plan: GeneratedPlan
    let tool: Tool
    let result: ToolResult
}

/// Generates (or reuses) the plans, measures each tool in its own process
/// and prints the report. Informative only: returns non-zero solely when a
/// run crashed or failed, never for missed targets.
struct Benchmark {
    let options: BenchOptions
    let selfPath: String
    let migcheckPath: String

    static func run(_ options: BenchOptions) -> Int32 {
        guard let selfPath = ProcessRunner.currentExecutablePath() else {
            printError("migcheck-bench: cannot determine the path of the running executable")
            return 1
        }
        let migcheckPath = options.migcheckPath ?? Paths.defaultMigcheck
        guard access(migcheckPath, X_OK) == 0 else {
            printError("""
                migcheck-bench: no executable migcheck at \(migcheckPath)
                  build it first: swift build -c release   (in \(Paths.repositoryRoot.path))
                  or pass --migcheck PATH
                """)
            return 1
        }
        // This package does not build migcheck: show what is measured, and how old it is.
        var info = stat()
        if stat(migcheckPath, &info) == 0 {
            let minutes = max(0, (Int(time(nil)) - Int(info.st_mtim.tv_sec)) / 60)
            printError("measuring \(migcheckPath) (built \(minutes) min ago)")
        }
        return Benchmark(options: options, selfPath: selfPath, migcheckPath: migcheckPath).execute()
    }

    private func execute() -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
        } catch {
            printError("migcheck-bench: cannot create \(options.directory): \(error)")
            return 1
        }

        var plans: [GeneratedPlan] = []
        var generatedPaths: [String] = []
        for sizeMB in options.sizesMB {
            switch preparePlan(sizeMB: sizeMB) {
            case .success(let plan):
                plans.append(plan)
                if plan.generationSeconds != nil { generatedPaths.append(plan.path) }
            case .failure(let error):
                printError("migcheck-bench: \(error)")
                removePlans(generatedPaths)
                return 1
            }
        }

        let floor = ProcessRunner.rssFloorBytes()
        var rows: [BenchRow] = []
        for plan in plans {
            ProcessRunner.warmPageCache(plan.path)
            for tool in Tool.allCases {
                let result = measure(tool, plan: plan)
                rows.append(BenchRow(plan: plan, tool: tool, result: result))
            }
        }

        let report = Report(rows: rows, plans: plans, rssFloorBytes: floor)
        print(report.render(), terminator: "")

        removePlans(generatedPaths)
        let failures = rows.filter { if case .failed = $0.result { return true } else { return false } }
        return failures.isEmpty ? 0 : 1
    }

    // MARK: Plans

    private func preparePlan(sizeMB: Int) -> Result<GeneratedPlan, BenchError> {
        if let cached = PlanGenerator.cachedPlan(sizeMB: sizeMB, directory: options.directory) {
            printError("plan-\(sizeMB)MB.json: reusing cached file (\(formatMB(cached.bytes)), "
                + "\(cached.resourceChanges) resource_changes)")
            return .success(cached)
        }
        printError("plan-\(sizeMB)MB.json: generating ...")
        // Generated in a child so the generator's allocations never raise
        // this process's RSS, which children inherit as their ru_maxrss floor.
        let child = ProcessRunner.run(selfPath, ["--internal-generate-cached", String(sizeMB), options.directory],
                                      silenceOutput: false)
        guard child.outcome == .exited(0) else {
            return .failure(BenchError("generating plan-\(sizeMB)MB.json failed: \(child.outcome)"))
        }
        guard let plan = PlanGenerator.cachedPlan(sizeMB: sizeMB, directory: options.directory) else {
            return .failure(BenchError("generated plan-\(sizeMB)MB.json but its sidecar is missing or stale"))
        }
        return .success(GeneratedPlan(path: plan.path, targetMB: plan.targetMB, bytes: plan.bytes,
                                      resourceChanges: plan.resourceChanges,
                                      generationSeconds: child.wallSeconds))
    }

    private func removePlans(_ paths: [String]) {
        guard !options.keep else { return }
        for path in paths {
            unlink(path)
            unlink(PlanGenerator.sidecarPath(for: path))
        }
    }

    // MARK: Measurements

    private func invocation(_ tool: Tool, plan: GeneratedPlan) -> (String, [String]) {
        switch tool {
        case .reader:
            // `summary` reads and types the whole plan and stops: the reader's own cost.
            return (migcheckPath, ["summary", plan.path])
        case .migcheck, .oneThread:
            return (migcheckPath, [plan.path, "--phase", "prepare"])
        case .allFormats:
            return (migcheckPath, [plan.path, "--phase", "prepare", "--format", "text",
                                   "--output", "json=/dev/null", "--output", "sarif=/dev/null",
                                   "--output", "junit=/dev/null", "--output", "github=/dev/null",
                                   "--output", "markdown=/dev/null"])
        case .foundation:
            return (selfPath, ["--baseline-foundation", plan.path])
        }
    }

    /// migcheck exits 0 (clean) or 1 (findings); anything else is a failure.
    private func isSuccess(_ tool: Tool, _ outcome: Outcome) -> Bool {
        switch (tool, outcome) {
        case (.reader, .exited(0)), (.migcheck, .exited(0)), (.migcheck, .exited(1)),
             (.oneThread, .exited(0)), (.oneThread, .exited(1)),
             (.allFormats, .exited(0)), (.allFormats, .exited(1)),
             (.foundation, .exited(0)):
            return true
        default:
            return false
        }
    }

    private func measure(_ tool: Tool, plan: GeneratedPlan) -> ToolResult {
        let name = URL(fileURLWithPath: plan.path).lastPathComponent
        if tool == .foundation && plan.targetMB > options.skipBaselineAboveMB {
            return .skipped("skipped (--skip-baseline-above \(options.skipBaselineAboveMB))")
        }
        let (executable, arguments) = invocation(tool, plan: plan)
        let runs = options.runCount(sizeMB: plan.targetMB)
        var bestWall = Double.infinity
        var peakRSS = 0
        for run in 1...runs {
            let measurement = ProcessRunner.run(executable, arguments, environment: tool.environment)
            guard isSuccess(tool, measurement.outcome) else {
                printError("\(name) \(tool.label): run \(run) FAILED: \(measurement.outcome)")
                return .failed(measurement.outcome.description)
            }
            printError(String(format: "%@ %@: run %d/%d %.3f s, %@", name, tool.label, run, runs,
                              measurement.wallSeconds, formatMB(measurement.peakRSSBytes)))
            bestWall = min(bestWall, measurement.wallSeconds)
            peakRSS = max(peakRSS, measurement.peakRSSBytes)
        }
        return .measured(wallSeconds: bestWall, peakRSSBytes: peakRSS)
    }
}

func formatMB(_ bytes: Int) -> String {
    String(format: "%.1f MB", Double(bytes) / Double(bytesPerMB))
}
