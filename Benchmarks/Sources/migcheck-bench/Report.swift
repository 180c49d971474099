import Foundation

/// Renders the results table, ratios and target checks.
struct Report {
    let rows: [BenchRow]
    let plans: [GeneratedPlan]
    let rssFloorBytes: Int?

    enum Target {
        static let throughputMBps = 400.0
        static let rssPerSize = 1.5
        static let speedUp = 15.0
        static let allFormatsOverhead = 1.2
        static let referenceSizeMB = 100
    }

    func render() -> String {
        var out = ""
        out += pad("file", 22) + pad("size", 11) + pad("tool", 22) + pad("wall", 11) + pad("MB/s", 9)
            + pad("peak RSS", 13) + "RSS/size\n"
        for row in rows {
            let name = URL(fileURLWithPath: row.plan.path).lastPathComponent
            out += pad(name, 22) + pad(formatMB(row.plan.bytes), 11) + pad(row.tool.label, 22)
            switch row.result {
            case .measured(let wall, let rss):
                let atFloor = rssFloorBytes.map { Double(rss) <= Double($0) * 1.05 } ?? false
                out += pad(String(format: "%.3f s", wall), 11)
                out += pad(String(format: "%.1f", throughput(row.plan, wall)), 9)
                out += pad(formatMB(rss) + (atFloor ? "*" : ""), 13)
                out += String(format: "%.2fx", Double(rss) / Double(row.plan.bytes)) + "\n"
            case .skipped(let reason):
                out += reason + "\n"
            case .failed(let reason):
                out += "FAILED: \(reason)\n"
            }
        }
        let anyAtFloor = rows.contains { row in
            guard let rss = row.result.measurement?.peakRSSBytes, let floor = rssFloorBytes else { return false }
            return Double(rss) <= Double(floor) * 1.05
        }
        if let floor = rssFloorBytes, anyAtFloor {
            out += "* at the RSS floor (\(formatMB(floor))): posix_spawn (vfork) makes a child's ru_maxrss "
                + "at least the bench process's own RSS, so these values are upper bounds.\n"
        }
        out += "\n"
        out += ratioLine("reader speed-up vs JSONSerialization:", numerator: .foundation, denominator: .reader)
        out += ratioLine("full check speed-up vs JSONSerialization:", numerator: .foundation, denominator: .migcheck)
        out += ratioLine("one thread / two threads (full check):", numerator: .oneThread, denominator: .migcheck)
        out += ratioLine("all formats / text only:", numerator: .allFormats, denominator: .migcheck)
        for plan in plans {
            if let seconds = plan.generationSeconds {
                out += String(format: "generated %@ (%d resource_changes) in %.1f s\n",
                              URL(fileURLWithPath: plan.path).lastPathComponent, plan.resourceChanges, seconds)
            }
        }
        out += "\n" + renderTargets()
        return out
    }

    // MARK: Ratios and targets

    private func result(_ plan: GeneratedPlan, _ tool: Tool) -> (wallSeconds: Double, peakRSSBytes: Int)? {
        rows.first { $0.plan.path == plan.path && $0.tool == tool }?.result.measurement
    }

    private func throughput(_ plan: GeneratedPlan, _ wall: Double) -> Double {
        wall > 0 ? Double(plan.bytes) / Double(bytesPerMB) / wall : 0
    }

    private func ratio(_ plan: GeneratedPlan, _ numerator: Tool, _ denominator: Tool) -> Double? {
        guard let top = result(plan, numerator), let bottom = result(plan, denominator),
              bottom.wallSeconds > 0 else { return nil }
        return top.wallSeconds / bottom.wallSeconds
    }

    private func ratioLine(_ title: String, numerator: Tool, denominator: Tool) -> String {
        let parts = plans.map { plan -> String in
            let value = ratio(plan, numerator, denominator).map { String(format: "%.2fx", $0) } ?? "n/a"
            return "\(value) (\(plan.targetMB)MB)"
        }
        return "\(title) \(parts.joined(separator: " "))\n"
    }

    /// Targets are defined on the 100 MB plan; without one (e.g. --smoke)
    /// the largest plan stands in and the line says so.
    private func renderTargets() -> String {
        guard let reference = plans.first(where: { $0.targetMB == Target.referenceSizeMB })
                ?? plans.max(by: { $0.bytes < $1.bytes }) else { return "" }
        let note = reference.targetMB == Target.referenceSizeMB
            ? "" : " [on \(reference.targetMB)MB; target defined on \(Target.referenceSizeMB)MB]"
        var out = "targets (informative; exit status ignores them):\n"

        func line(_ passed: Bool?, _ text: String) {
            let verdict = passed.map { $0 ? "PASS" : "MISS" } ?? "n/a "
            out += "  \(verdict)  \(text)\n"
        }

        let speed = result(reference, .migcheck).map { throughput(reference, $0.wallSeconds) }
        line(speed.map { $0 >= Target.throughputMBps },
             "full check throughput >= \(Int(Target.throughputMBps)) MB/s: "
                + (speed.map { String(format: "%.1f MB/s", $0) } ?? "n/a") + note)

        // Peak RSS is checked on every plan >= 100 MB (worst case counts);
        // small plans are dominated by the process's fixed startup RSS.
        let large = plans.filter { $0.targetMB >= Target.referenceSizeMB }
        let rssPlans = large.isEmpty ? [reference] : large
        let rssRatios = rssPlans.compactMap { plan in
            result(plan, .migcheck).map { (plan, Double($0.peakRSSBytes) / Double(plan.bytes)) }
        }
        let worst = rssRatios.max { $0.1 < $1.1 }
        line(worst.map { $0.1 < Target.rssPerSize },
             String(format: "full check peak RSS < %.1fx file size: ", Target.rssPerSize)
                + (worst.map { String(format: "%.2fx (worst, %dMB)", $0.1, $0.0.targetMB) } ?? "n/a")
                + (large.isEmpty ? note : ""))

        let speedUp = ratio(reference, .foundation, .migcheck)
        line(speedUp.map { $0 >= Target.speedUp },
             String(format: "full check speed-up vs JSONSerialization >= %.0fx: ", Target.speedUp)
                + (speedUp.map { String(format: "%.2fx", $0) } ?? "n/a") + note)

        let readerSpeed = result(reference, .reader).map { throughput(reference, $0.wallSeconds) }
        line(readerSpeed.map { $0 >= Target.throughputMBps },
             "reader throughput >= \(Int(Target.throughputMBps)) MB/s: "
                + (readerSpeed.map { String(format: "%.1f MB/s", $0) } ?? "n/a") + note)
        let readerRSS = rssPlans.compactMap { plan in
            result(plan, .reader).map { (plan, Double($0.peakRSSBytes) / Double(plan.bytes)) }
        }.max { $0.1 < $1.1 }
        line(readerRSS.map { $0.1 < Target.rssPerSize },
             String(format: "reader peak RSS < %.1fx file size: ", Target.rssPerSize)
                + (readerRSS.map { String(format: "%.2fx (worst, %dMB)", $0.1, $0.0.targetMB) } ?? "n/a"))
        let readerSpeedUp = ratio(reference, .foundation, .reader)
        line(readerSpeedUp.map { $0 >= Target.speedUp },
             String(format: "reader speed-up vs JSONSerialization >= %.0fx: ", Target.speedUp)
                + (readerSpeedUp.map { String(format: "%.2fx", $0) } ?? "n/a") + note)

        let overhead = ratio(reference, .allFormats, .migcheck)
        line(overhead.map { $0 <= Target.allFormatsOverhead },
             String(format: "all-formats within %.1fx of text-only: ", Target.allFormatsOverhead)
                + (overhead.map { String(format: "%.2fx", $0) } ?? "n/a") + note)
        return out
    }

    private func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
    }
}
