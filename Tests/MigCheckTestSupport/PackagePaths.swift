import Foundation
import XCTest

/// Where the package's own files are: the root (found from this source file) and `Fixtures/`.
enum PackagePaths {
    /// The package root: the nearest directory above this source file that holds Package.swift.
    static let root: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// The package root, or `/` when none is found (every lookup below it then fails by name).
    static var packageRoot: URL { root ?? URL(fileURLWithPath: "/") }

    /// `Fixtures/` of the package, or XCTSkip when the package root cannot be found.
    static func fixturesDirectory() throws -> URL {
        guard let root else { throw XCTSkip("no Package.swift above \(#filePath)") }
        return root.appendingPathComponent("Fixtures")
    }

    /// Every file under `Fixtures/` except the generator (`tools/`), the expected findings
    /// (`expected/`) and documentation: each must be a plan or state with an expected file.
    static func fixturePaths(in root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var paths: [String] = []
        let rootPath = root.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPath) else { continue }
            let relative = String(path.dropFirst(rootPath.count))
            let top = relative.split(separator: "/").first.map(String.init) ?? relative
            if top == "tools" || top == "expected" || top == "evidence" {  // evidence: AWS CLI output, not Terraform
                enumerator.skipDescendants()
                continue
            }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if url.lastPathComponent.hasPrefix(".") || url.pathExtension == "md" { continue }
            paths.append(relative)
        }
        return paths.sorted()
    }
}
