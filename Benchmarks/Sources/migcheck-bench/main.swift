// migcheck-bench: generates deterministic synthetic Terraform plans and
// measures migcheck against Foundation's JSONSerialization, each run in its
// own process. A package of its own (Benchmarks/) that imports nothing of migcheck:
// it measures the migcheck *binary*, so it keeps building while the library changes.
import Foundation

func runCommand(_ command: Command) -> Int32 {
    switch command {
    case .help:
        print(CommandLineOptions.usage)
        return 0

    case .bench(let options):
        return Benchmark.run(options)

    case .generateOnly(let sizeMB, let output):
        do {
            let plan = try PlanGenerator.generate(sizeMB: sizeMB, path: output)
            print(String(format: "wrote %@: %d bytes, %d resource_changes, %.2f s", output, plan.bytes,
                         plan.resourceChanges, plan.generationSeconds ?? 0))
            return 0
        } catch {
            printError("migcheck-bench: \(error)")
            return 1
        }

    case .generateCached(let sizeMB, let directory):
        do {
            let path = PlanGenerator.planPath(sizeMB: sizeMB, directory: directory)
            let plan = try PlanGenerator.generate(sizeMB: sizeMB, path: path)
            try PlanGenerator.writeSidecar(plan)
            printError(String(format: "plan-%dMB.json: %@, %d resource_changes, generated in %.1f s",
                              sizeMB, formatMB(plan.bytes), plan.resourceChanges, plan.generationSeconds ?? 0))
            return 0
        } catch {
            printError("migcheck-bench: \(error)")
            return 1
        }

    case .baselineFoundation(let path):
        return FoundationBaseline.run(path: path)
    }
}

switch CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) {
case .success(let command):
    exit(runCommand(command))
case .failure(let error):
    printError("migcheck-bench: \(error)\n\n\(CommandLineOptions.usage)")
    exit(2)
}
