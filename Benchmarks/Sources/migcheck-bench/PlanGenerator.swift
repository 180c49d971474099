import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let bytesPerMB = 1 << 20

struct GeneratedPlan {
    let path: String
    let targetMB: Int
    let bytes: Int
    let resourceChanges: Int
    /// nil when an existing file was reused.
    let generationSeconds: Double?
}

enum PlanGenerator {
    /// Bump whenever the generator's output changes, so cached files are regenerated.
    static let version = "migcheck-bench-plan-v3"

    /// FNV-1a of the healthy-migration model: a changed model regenerates cached plans too.
    static let modelDigest: String = {
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: Paths.model))) ?? Data()
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }()

    /// Number of resource blocks whose document is closest to `targetBytes`.
    /// Sizes are linear in the block count, so measure a prefix of the
    /// (deterministic) block sequence without writing anything and scale.
    static func blockCount(forTargetBytes targetBytes: Int) -> Int {
        let calibrationLimit = 3000
        var blocks = 32
        var bytes = countBytes(blocks: blocks)
        for _ in 0..<4 {
            let estimate = max(1, Int((Double(blocks) * Double(targetBytes) / Double(max(bytes, 1))).rounded()))
            let next = min(estimate, calibrationLimit)
            if next == blocks { break }
            blocks = next
            bytes = countBytes(blocks: blocks)
        }
        return max(1, Int((Double(blocks) * Double(targetBytes) / Double(max(bytes, 1))).rounded()))
    }

    private static func countBytes(blocks: Int) -> Int {
        let sink = ByteSink(.countOnly)
        PlanWriter(layout: PlanLayout(blockCount: blocks), sink: sink).writeDocument()
        return sink.byteCount
    }

    /// Writes a plan of roughly `sizeMB` MiB to `path` (via a temporary file,
    /// so an interrupted run never leaves a truncated plan behind).
    static func generate(sizeMB: Int, path: String) throws -> GeneratedPlan {
        let start = Clock.now()
        let blocks = blockCount(forTargetBytes: sizeMB * bytesPerMB)
        let temporaryPath = path + ".partial"
        guard let handle = fopen(temporaryPath, "wb") else {
            throw BenchError("cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        let sink = ByteSink(.file(handle))
        let writer = PlanWriter(layout: PlanLayout(blockCount: blocks), sink: sink)
        writer.writeDocument()
        let closeFailed = fclose(handle) != 0
        if sink.writeFailed || closeFailed {
            unlink(temporaryPath)
            throw BenchError("writing \(temporaryPath) failed (disk full?)")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw BenchError("cannot rename \(temporaryPath) to \(path): \(String(cString: strerror(errno)))")
        }
        return GeneratedPlan(path: path, targetMB: sizeMB, bytes: sink.byteCount,
                             resourceChanges: writer.resourceChangeCount,
                             generationSeconds: Clock.now() - start)
    }

    // MARK: Cache in the bench directory

    static func planPath(sizeMB: Int, directory: String) -> String {
        "\(directory)/plan-\(sizeMB)MB.json"
    }

    static func sidecarPath(for planPath: String) -> String {
        planPath + ".meta"
    }

    /// Sidecar next to each cached plan: generator version, model digest, plus the facts
    /// needed to trust the file without re-reading or re-hashing it.
    static func writeSidecar(_ plan: GeneratedPlan) throws {
        let text = """
            generator=\(version)
            model=\(modelDigest)
            target_mb=\(plan.targetMB)
            bytes=\(plan.bytes)
            resource_changes=\(plan.resourceChanges)

            """
        do {
            try text.write(toFile: sidecarPath(for: plan.path), atomically: true, encoding: .utf8)
        } catch {
            throw BenchError("cannot write \(sidecarPath(for: plan.path)): \(error)")
        }
    }

    /// A cached plan is reused only if its sidecar names this generator
    /// version, model and target size and the file still has the recorded size.
    static func cachedPlan(sizeMB: Int, directory: String) -> GeneratedPlan? {
        let path = planPath(sizeMB: sizeMB, directory: directory)
        guard let text = try? String(contentsOfFile: sidecarPath(for: path), encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard fields["generator"] == version, fields["model"] == modelDigest,
              fields["target_mb"] == String(sizeMB),
              let bytes = fields["bytes"].flatMap({ Int($0) }),
              let resourceChanges = fields["resource_changes"].flatMap({ Int($0) }),
              fileSize(path) == bytes else { return nil }
        return GeneratedPlan(path: path, targetMB: sizeMB, bytes: bytes, resourceChanges: resourceChanges,
                             generationSeconds: nil)
    }

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}

enum Clock {
    /// Monotonic seconds; immune to wall-clock adjustments during long runs.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
