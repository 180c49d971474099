import MigCheckFoundation
import MigCheckReading

/// Which runbook phase a plan (or state) belongs to, when neither `--phase` nor the
/// policy says so. The reason is printed so a wrong guess is easy to spot and override.
///
/// Every sign in the document is weighed, not the first one found: each piece of evidence
/// names the phases it fits (the prior state's and the planned target role, what the plan
/// creates, keeps and destroys, where the consumers point, the DMS task). When all of it fits
/// one phase, that is the phase. When it fits several, or pieces contradict each other, every
/// phase the evidence supports is a candidate, and the plan is judged under each of them
/// (`Evaluator`): an uncertain inference can only add findings, never remove one.
public enum PhaseInference {
    /// One sign in the document and the phases it is consistent with.
    public struct Evidence: Sendable, Equatable {
        public let phases: Set<Phase>
        public let reason: String
    }

    /// The outcome: the candidate phases (runbook order), the one reported first, and why.
    public struct Inference: Sendable {
        public let candidates: [Phase]
        public let evidence: [Evidence]
        /// True when the evidence contradicts itself (no phase fits every sign).
        public let conflicting: Bool

        /// The candidate reported as the phase: the one most evidence supports, the later on a tie.
        public var phase: Phase {
            candidates.max { support($0) != support($1) ? support($0) < support($1) : $0 < $1 } ?? .prepare
        }

        package func support(_ phase: Phase) -> Int { evidence.filter { $0.phases.contains(phase) }.count }

        /// The evidence in words: `the plan destroys … (cleanup); the target's … (prepare, full-load)`.
        public var reason: String {
            guard !evidence.isEmpty else { return "nothing in the document points to a later phase" }
            return evidence.map { item in
                "\(item.reason) (\(Phase.allCases.filter(item.phases.contains).map(\.rawValue).joined(separator: ", ")))"
            }.joined(separator: "; ")
        }
    }

    /// The single phase reported first, with the evidence (kept for callers that want one phase).
    public static func infer(_ picture: MigrationPicture) -> (phase: Phase, reason: String) {
        let inference = candidates(picture)
        return (inference.phase, inference.reason)
    }

    /// Every phase the evidence supports. Evidence that agrees narrows the candidates to the
    /// phases that fit all of it; evidence that disagrees keeps the phases the most evidence fits
    /// together with every phase a decisive sign (one that fits a single phase) names.
    public static func candidates(_ picture: MigrationPicture) -> Inference {
        let evidence = gather(picture)
        guard !evidence.isEmpty else {
            let fallback: Phase = picture.source == nil && picture.target != nil ? .cleanup : .prepare
            return Inference(candidates: [fallback], evidence: [], conflicting: false)
        }
        var common = Set(Phase.allCases)
        for item in evidence { common.formIntersection(item.phases) }
        if !common.isEmpty {
            return Inference(candidates: Phase.allCases.filter(common.contains), evidence: evidence, conflicting: false)
        }
        let support = Dictionary(uniqueKeysWithValues: Phase.allCases.map { phase in
            (phase, evidence.filter { $0.phases.contains(phase) }.count)
        })
        let best = support.values.max() ?? 0
        var chosen = Set(Phase.allCases.filter { support[$0] == best })
        for item in evidence where item.phases.count == 1 { chosen.formUnion(item.phases) }
        return Inference(candidates: Phase.allCases.filter(chosen.contains), evidence: evidence, conflicting: true)
    }

    static let preparing: Set<Phase> = [.prepare, .fullLoad]
    package static let switched: Set<Phase> = [.cutover, .cleanup]
    static let afterPrepare: Set<Phase> = [.fullLoad, .cutover, .cleanup]

    static func gather(_ picture: MigrationPicture) -> [Evidence] {
        var evidence: [Evidence] = []
        func add(_ phases: Set<Phase>, _ reason: String) { evidence.append(Evidence(phases: phases, reason: reason)) }
        let document = picture.isPlan ? "plan" : "state"
        let dms = picture.dmsTasks + picture.dmsEndpoints + picture.dmsReplicationInstances
        let group = picture.target?.parameterGroup
        // Compared sensitive or not; a reason never shows a sensitive one.
        let roleAfter = group?.parameters.map { $0["session_replication_role"]?.value.unmasked.scalarText ?? "default" }
        let roleBefore = group?.resource.hasBefore == true
            ? group?.parametersBefore.map { $0["session_replication_role"]?.value.unmasked.scalarText ?? "default" } : nil
        let roleAfterIsSensitive = group?.parameters?["session_replication_role"]?.value.isSensitive == true

        if let source = picture.source, picture.target != nil {
            if picture.isPlan, source.resource.isDestroyed {
                add([.cleanup], "the plan destroys the source cluster \(source.addressText)")
            } else if picture.isPlan, let dropped = protectionDropped(source) {
                add([.cleanup], "the plan \(dropped) of the source cluster \(source.addressText)")
            }
        } else if picture.source == nil, let target = picture.target {
            add([.cleanup], "the \(document) holds no source cluster, only \(target.addressText)")
        }
        if let target = picture.target, picture.isPlan {
            if target.resource.action == .create {
                add([.prepare], "the plan creates the target cluster \(target.addressText)")
            } else if target.resource.hasBefore {
                add(afterPrepare, "the target cluster \(target.addressText) exists before this plan")
            }
        }
        if picture.isPlan {
            if let created = dms.first(where: { $0.action == .create }) {
                add([.prepare], "the plan creates DMS resource \(created.addressText)")
            }
            if let removed = dms.first(where: { $0.isDestroyed && !$0.hasAfter }) {
                add([.cleanup], "the plan destroys DMS resource \(removed.addressText)")
            }
        }
        if picture.isPlan, let task = picture.dmsTasks.first(where: { $0.hasAfter && $0.hasBefore }) {
            add(afterPrepare, "DMS task \(task.addressText) exists and stays")
        } else if !picture.isPlan, let task = picture.dmsTasks.first {
            // A state keeps the task from the prepare apply until the cleanup apply destroys it.
            add([.fullLoad, .cutover], "the state holds DMS task \(task.addressText)")
        } else if picture.dmsTasks.isEmpty, dms.isEmpty, picture.source != nil, picture.target != nil, !picture.isPlan {
            add([.prepare, .cleanup], "the state holds no DMS resource")
        }

        if let roleAfter {
            if picture.isPlan, let roleBefore, roleBefore == "replica", roleAfter != "replica" {
                let shown = roleAfterIsSensitive ? "a sensitive value" : roleAfter == "default" ? "its default" : roleAfter
                add([.cutover], "the plan moves the target's session_replication_role from replica to \(shown)")
            } else if roleAfter == "replica" {
                let when = picture.isPlan ? (roleBefore == "replica" ? "stays" : "becomes") : "is"
                add(preparing, "the target's session_replication_role \(when) replica")
            } else if roleAfter == "origin" || roleAfter == "default" {
                let value = roleAfter == "default" ? "its default (origin)" : "origin"
                if picture.isPlan, let roleBefore, roleBefore == roleAfter {
                    add(switched, "the target's session_replication_role is already \(value) in the prior state")
                } else if !picture.isPlan || group?.resource.hasBefore == true {
                    add(switched, "the target's session_replication_role is \(value)")
                } else {
                    add(switched, "the plan creates the target's parameter group with session_replication_role \(value)")
                }
            }
        }

        if let source = picture.source {
            if picture.isPlan, let moved = movedOffSource(picture, source) {
                add([.cutover], "the plan moves \(moved.addressText) off the source cluster's endpoint")
            } else if let switchedOver = switchedConsumer(picture) {
                add(switched, "\(switchedOver.addressText) already uses the target and nothing uses the source")
            } else if let staying = consumerOnSource(picture, source) {
                add(preparing, "\(staying.addressText) still uses the source cluster's endpoint")
            }
        }
        return evidence
    }

    /// What the plan does to let the source be destroyed: deletion protection turned off, or a
    /// final snapshot identifier set (runbook cleanup step 1).
    static func protectionDropped(_ source: ClusterView) -> String? {
        let resource = source.resource
        guard resource.hasBefore, resource.hasAfter else { return nil }
        if resource.beforeAttribute("deletion_protection") == .bool(true), resource.afterAttribute("deletion_protection") == .bool(false) {
            return "turns off deletion_protection"
        }
        let before = resource.beforeAttribute("final_snapshot_identifier")
        if before == nil || before == .null, let after = resource.afterAttribute("final_snapshot_identifier"), after != .null {
            return "sets final_snapshot_identifier"
        }
        return nil
    }

    /// An ECS task definition the plan moves off the source's endpoints.
    static func movedOffSource(_ picture: MigrationPicture, _ source: ClusterView) -> ResourceView? {
        let markers = source.identifyingStrings.map { Array($0.utf8) }
        return picture.resources.first { view in
            guard view.type == "aws_ecs_task_definition", view.action != .noOp, view.hasAfter, let before = view.before,
                  let beforeText = before["container_definitions"]?.unmaskedString else { return false }
            let afterText = view.after?["container_definitions"]?.unmaskedString ?? ""
            return markers.contains { marker in
                beforeText.utf8.contains(marker) && !afterText.utf8.contains(marker)
            }
        }
    }

    /// An ECS task definition whose planned value still names one of the source's endpoints.
    static func consumerOnSource(_ picture: MigrationPicture, _ source: ClusterView) -> ResourceView? {
        let markers = source.identifyingStrings.filter { $0.contains(".") }.map { Array($0.utf8) }
        guard !markers.isEmpty else { return nil }
        return picture.resources.first { view in
            guard view.type == "aws_ecs_task_definition", let node = view.afterNode else { return false }
            return markers.contains(where: node.rawBytesContain)
        }
    }
}

extension PhaseInference {
    /// When no ECS task definition names the source cluster's endpoints any more and one names
    /// the target's, the services have been switched over: that one is returned. (The schema-prep
    /// task names the target from prepare on, so one task on the target alone proves nothing.)
    static func switchedConsumer(_ picture: MigrationPicture) -> ResourceView? {
        guard let source = picture.source, let target = picture.target else { return nil }
        let sourceMarkers = source.identifyingStrings.filter { $0.contains(".") }.map { Array($0.utf8) }
        let targetMarkers = target.identifyingStrings.filter { $0.contains(".") }.map { Array($0.utf8) }
        guard !targetMarkers.isEmpty, !sourceMarkers.isEmpty else { return nil }
        let definitions = picture.resources.filter { $0.type == "aws_ecs_task_definition" && $0.afterNode != nil }
        let stillOnSource = definitions.contains { view in
            view.afterNode.map { node in sourceMarkers.contains(where: node.rawBytesContain) } ?? false
        }
        guard !stillOnSource else { return nil }
        return definitions.first { view in
            view.afterNode.map { node in targetMarkers.contains(where: node.rawBytesContain) } ?? false
        }
    }
}

extension String.UTF8View {
    /// Byte substring search, for markers in planned strings.
    package func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        let haystack = Array(self)
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { ByteSearch.contains($0, range: 0..<haystack.count, needle: needle) }
    }
}
