import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Reference resolution over every expression of a resource block.
enum ConfigurationReferences {
    /// Qualified addresses every expression of the block refers to (a whole module: what its outputs refer to).
    static func resources(of config: ConfigResource, in configuration: Configuration) -> Set<String> {
        var result = Set<String>()
        for expression in config.expressions.values {
            result.formUnion(configuration.resolvedResources(of: expression, in: config.modulePath))
        }
        return result
    }
}
