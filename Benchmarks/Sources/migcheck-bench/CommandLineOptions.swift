struct BenchOptions {
    var sizesMB: [Int] = [10, 100, 1000]
    var smoke = false
    var directory = Paths.defaultPlanDirectory
    var migcheckPath: String?
    var keep = false
    var runs: Int?
    var skipBaselineAboveMB = 2000

    /// 3 runs (best-of) for small files; a single run above 100 MB, where one
    /// run already takes long and noise is relatively small.
    func runCount(sizeMB: Int) -> Int {
        if let runs { return runs }
        if smoke { return 1 }
        return sizeMB <= 100 ? 3 : 1
    }
}

enum Command {
    case bench(BenchOptions)
    case generateOnly(sizeMB: Int, output: String)
    /// Internal: generate into the cache directory with a sidecar. Run as a
    /// child process so the generator's memory never inflates the RSS floor.
    case generateCached(sizeMB: Int, directory: String)
    /// Internal: the JSONSerialization baseline, run as a child process.
    case baselineFoundation(path: String)
    case help
}

enum CommandLineOptions {
    static let usage = """
        usage: migcheck-bench [--sizes 10,100,1000] [--smoke] [--dir DIR] [--migcheck PATH] [--keep]
                              [--runs N] [--skip-baseline-above MB]
               migcheck-bench --generate-only SIZE_MB OUT

          --sizes LIST               plan sizes in MiB (default 10,100,1000)
          --smoke                    sizes 1,10 with one run each (CI)
          --dir DIR                  where plans are generated/cached (default Benchmarks/.build/bench-plans)
          --migcheck PATH            migcheck binary (default: .build/release/migcheck of the repository)
          --keep                     keep generated plans for fast re-runs (default: delete them)
          --runs N                   runs per measurement (default 3 up to 100 MB, 1 above; --smoke 1)
          --skip-baseline-above MB   skip the JSONSerialization baseline above this size (default 2000)
          --generate-only SIZE_MB OUT  only write one deterministic plan to OUT
        """

    static func parse(_ arguments: [String]) -> Result<Command, BenchError> {
        var options = BenchOptions()
        var sizesGiven = false
        var index = 0

        func value(for flag: String) -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        func positiveInt(_ text: String?, _ flag: String) -> Result<Int, BenchError> {
            guard let text, let number = Int(text), number > 0 else {
                return .failure(BenchError("\(flag) needs a positive integer"))
            }
            return .success(number)
        }

        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--help", "-h":
                return .success(.help)
            case "--smoke":
                options.smoke = true
            case "--keep":
                options.keep = true
            case "--sizes":
                guard let list = value(for: argument) else { return .failure(BenchError("--sizes needs a list")) }
                var sizes: [Int] = []
                for item in list.split(separator: ",") {
                    guard let size = Int(item.trimmingSpaces()), size > 0 else {
                        return .failure(BenchError("invalid size '\(item)' in --sizes"))
                    }
                    sizes.append(size)
                }
                guard !sizes.isEmpty else { return .failure(BenchError("--sizes needs at least one size")) }
                options.sizesMB = sizes
                sizesGiven = true
            case "--dir":
                guard let directory = value(for: argument), !directory.isEmpty else {
                    return .failure(BenchError("--dir needs a path"))
                }
                options.directory = directory
            case "--migcheck":
                guard let path = value(for: argument), !path.isEmpty else {
                    return .failure(BenchError("--migcheck needs a path"))
                }
                options.migcheckPath = path
            case "--runs":
                switch positiveInt(value(for: argument), argument) {
                case .success(let runs): options.runs = runs
                case .failure(let error): return .failure(error)
                }
            case "--skip-baseline-above":
                switch positiveInt(value(for: argument), argument) {
                case .success(let limit): options.skipBaselineAboveMB = limit
                case .failure(let error): return .failure(error)
                }
            case "--generate-only", "--internal-generate-cached":
                let size = positiveInt(value(for: argument), argument)
                guard case .success(let sizeMB) = size, let target = value(for: argument), !target.isEmpty else {
                    return .failure(BenchError("\(argument) needs SIZE_MB and a path"))
                }
                guard index == arguments.count - 1 else {
                    return .failure(BenchError("\(argument) takes no further options"))
                }
                return .success(argument == "--generate-only"
                    ? .generateOnly(sizeMB: sizeMB, output: target)
                    : .generateCached(sizeMB: sizeMB, directory: target))
            case "--baseline-foundation":
                guard let path = value(for: argument), index == arguments.count - 1 else {
                    return .failure(BenchError("--baseline-foundation needs exactly one FILE"))
                }
                return .success(.baselineFoundation(path: path))
            default:
                return .failure(BenchError("unknown argument '\(argument)'"))
            }
            index += 1
        }
        if options.smoke && !sizesGiven {
            options.sizesMB = [1, 10]
        }
        return .success(.bench(options))
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
