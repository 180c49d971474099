import MigCheckFoundation

extension TerraformSourceLocator {
    /// The directories the locator may read for `root`: `root` itself and every local module
    /// directory (`./…`, `../…`) a module block names, followed transitively. The command
    /// line protects their files from being overwritten by a report.
    public static func localModuleDirectories(from root: String) -> [String] {
        var directories = [normalized(root)]
        var seen = Set(directories)
        var index = 0
        // A bound on pathological trees; real configurations have a handful of modules.
        while index < directories.count, index < 10_000 {
            let directory = directories[index]
            index += 1
            for name in terraformFileNames(in: directory) {
                let file = join(directory, name)
                guard let storage = try? ByteStorage.read(path: file) else { continue }
                for declaration in scanFile(storage, file: file, json: name.hasSuffix(".json")).declarations {
                    guard case .module(_, let source?) = declaration.kind, source.hasPrefix("./") || source.hasPrefix("../") else { continue }
                    let next = join(directory, source)
                    if seen.insert(next).inserted { directories.append(next) }
                }
            }
        }
        return directories
    }
}
