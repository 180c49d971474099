import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

extension Evaluation {
    /// Findings pointed at the `.tf` (or `.tf.json`) file and line that declares their resource (or
    /// module call), found by `locator` (Reading; the command line builds it for `--source-dir`,
    /// named `sourceDirectory` in notes), and the inline suppressions of those files applied (see
    /// `InlineSuppressions`), judged on `today`.
    ///
    /// A finding whose declaration is not found keeps its plan position, and the evaluation
    /// gets one note naming those resources, so that nobody takes the plan's line for a `.tf` line.
    public func locatingSources(with locator: TerraformSourceLocator, named sourceDirectory: String,
                                today: CalendarDate = .today()) -> Evaluation {
        var locator = locator
        var chains: [String: [TerraformSourceLocator.Declaration]?] = [:]
        var unlocated: [String] = []
        func chain(_ addressText: String) -> [TerraformSourceLocator.Declaration]? {
            if let cached = chains[addressText] { return cached }
            let found = ResourceAddress.parse(addressText).flatMap { locator.declarationChain(of: $0) }
            chains[addressText] = found
            return found
        }
        var located: [Finding] = findings.map { finding in
            // MIG901 names a resource the document does not hold: there is nothing to look for.
            guard let addressText = finding.address, finding.ruleID != Suppressions.unmatchedRuleID else { return finding }
            guard let declaration = chain(addressText)?.last else {
                if !unlocated.contains(addressText) { unlocated.append(addressText) }
                return finding
            }
            var moved = finding
            moved.location = TerraformSourceLocator.location(declaration)
            return moved
        }

        let scan = InlineSuppressions.scan(locator.migcheckComments(), customRules: customRules.map(\.id), today: today)
        if !scan.active.isEmpty {
            for index in located.indices where located[index].suppression == nil {
                let finding = located[index]
                guard let addressText = finding.address, let declarations = chain(addressText) else { continue }
                // The resource's own block first, then the module calls around it, innermost first.
                for declaration in declarations.reversed() {
                    guard let directive = scan.directive(for: finding.ruleID, on: declaration) else { continue }
                    located[index].suppression = "\(directive.reason) (until \(directive.expires); inline at \(directive.origin))"
                    located[index].suppressionInSource = true
                    break
                }
            }
        }
        located += scan.findings
        located.sort(by: Finding.reportOrder)
        var result = replacingFindings(located)
        if !unlocated.isEmpty {
            let listed = unlocated.prefix(10).joined(separator: ", ") + (unlocated.count > 10 ? " and \(unlocated.count - 10) more" : "")
            result.notes.append("no declaration under --source-dir \(sourceDirectory) for \(listed); "
                + "\(unlocated.count == 1 ? "its findings point" : "their findings point") at the \(picture.isPlan ? "plan" : "state") instead")
        }
        return result
    }
}
