/// Which runbook phase a plan (or state) belongs to, when neither `--phase` nor the
/// policy says so. The reason is printed so a wrong guess is easy to spot and override.
public enum PhaseInference {
    public static func infer(_ picture: MigrationPicture) -> (phase: Phase, reason: String) {
        let dms = picture.dmsTasks + picture.dmsEndpoints + picture.dmsReplicationInstances
        let targetRoleValue = picture.target?.parameterGroup?.parameters?["session_replication_role"]?.value
        let targetRoleBeforeValue = picture.target?.parameterGroup?.parametersBefore?["session_replication_role"]?.value
        // Compared sensitive or not; a reason never shows a sensitive one.
        let targetRole = targetRoleValue?.unmasked.scalarText
        let targetRoleBefore = targetRoleBeforeValue?.unmasked.scalarText
        let shownTargetRole = targetRoleValue?.isSensitive == true ? "a sensitive value" : targetRole ?? "its default"

        guard picture.isPlan else {
            if picture.source == nil, let target = picture.target {
                return (.cleanup, "the state holds no source cluster, only \(target.addressText)")
            }
            if let task = picture.dmsTasks.first {
                if targetRole == "replica" {
                    if let switched = switchedConsumer(picture) {
                        return (.cutover, "the state holds DMS task \(task.addressText) and \(switched.addressText) already uses the target")
                    }
                    return (.fullLoad, "the state holds DMS task \(task.addressText) and the target's session_replication_role is replica")
                }
                return (.cutover, "the state holds DMS task \(task.addressText) and the target's session_replication_role is not replica")
            }
            if picture.source == nil {
                return (.cleanup, "the state holds no DMS task and no source cluster")
            }
            return (.prepare, "the state holds no DMS task yet")
        }

        if let source = picture.source, source.resource.isDestroyed {
            return (.cleanup, "the plan destroys the source cluster \(source.addressText)")
        }
        if let removed = dms.first(where: { $0.action == .delete }) {
            return (.cleanup, "the plan destroys DMS resource \(removed.addressText)")
        }
        if let target = picture.target, target.resource.action == .create {
            return (.prepare, "the plan creates the target cluster \(target.addressText)")
        }
        if let created = dms.first(where: { $0.action == .create }) {
            return (.prepare, "the plan creates DMS resource \(created.addressText)")
        }
        if targetRoleBefore == "replica", targetRole != "replica" {
            return (.cutover, "the plan moves the target's session_replication_role from replica to \(shownTargetRole)")
        }
        if let source = picture.source {
            let markers = source.identifyingStrings.map { Array($0.utf8) }
            let switched = picture.resources.first { view in
                guard view.type == "aws_ecs_task_definition", view.action != .noOp, let before = view.before,
                      let beforeText = before["container_definitions"]?.unmaskedString else { return false }
                let afterText = view.after?["container_definitions"]?.unmaskedString ?? ""
                return markers.contains { marker in
                    beforeText.utf8.contains(marker) && !afterText.utf8.contains(marker)
                }
            }
            if let switched {
                return (.cutover, "the plan moves \(switched.addressText) off the source cluster's endpoint")
            }
        }
        if let task = picture.dmsTasks.first {
            return (.fullLoad, "DMS task \(task.addressText) exists and the plan neither creates nor destroys migration resources")
        }
        if picture.source == nil {
            return (.cleanup, "the plan holds no DMS task and no source cluster")
        }
        return (.prepare, "nothing in the plan points to a later phase")
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
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        let haystack = Array(self)
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { ByteSearch.contains($0, range: 0..<haystack.count, needle: needle) }
    }
}
