import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Reference resolution over every expression of a resource block.
enum ConfigurationReferences {
    /// Qualified addresses every expression of the block refers to; with `followingDataSources`,
    /// also what the data sources it refers to refer to (one step). `expandingWholeModules`: as
    /// `Configuration.resolvedResources`.
    static func resources(of config: ConfigResource, in configuration: Configuration, followingDataSources: Bool = false,
                          expandingWholeModules: Bool = true) -> Set<String> {
        var result = Set<String>()
        for expression in config.expressions.values {
            result.formUnion(configuration.resolvedResources(of: expression, in: config.modulePath, expandingWholeModules: expandingWholeModules))
        }
        guard followingDataSources else { return result }
        for address in result where address.hasPrefix("data.") || address.contains(".data.") {
            guard let data = configuration.resource(qualifiedAddress: address) else { continue }
            for expression in data.expressions.values {
                result.formUnion(configuration.resolvedResources(of: expression, in: data.modulePath, expandingWholeModules: expandingWholeModules))
            }
        }
        return result
    }
}
