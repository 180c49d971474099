import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The picture with the clusters the policy names: the policy belongs to the rules layer,
/// so the picture itself knows only `ClusterNaming`.
extension PictureBuilder {
    /// The clusters named by `--source`/`--target` win over the policy's `source`/`target`;
    /// an error about either names where it came from. `phase` is `--phase`'s; without it, the policy's.
    public static func build(_ document: TerraformDocument, source: String?, target: String?, policy: Policy,
                             phase: Phase? = nil) throws -> MigrationPicture {
        func naming(_ flag: String?, _ fromPolicy: String?, _ location: SourceLocation?) -> ClusterNaming? {
            if let flag { return ClusterNaming(address: flag, origin: .flag) }
            guard let fromPolicy else { return nil }
            // A policy built in code has no file position: it is named like a flag.
            return ClusterNaming(address: fromPolicy, origin: location.map(ClusterNaming.Origin.policy) ?? .flag)
        }
        return try build(document, naming: naming(source, policy.source, policy.sourceLocation),
                         naming(target, policy.target, policy.targetLocation), namedPhase: phase ?? policy.phase)
    }
}
