import Foundation
import XCTest

/// Locates the project's shared material (`../shared` next to the package root):
/// fixtures published by other projects, schemas, the runbook.
enum SharedFixtures {
    /// `../shared` relative to the package root (it may not exist).
    static var sharedDirectory: URL? {
        PackagePaths.root?.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
    }

    /// A directory under `../shared`, or `XCTSkip` with a message that names where it was looked for.
    static func directory(_ relativePath: String) throws -> URL {
        guard let shared = sharedDirectory else {
            throw XCTSkip("../shared/\(relativePath) not found: no Package.swift above \(#filePath)")
        }
        let url = shared.appendingPathComponent(relativePath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw XCTSkip("../shared/\(relativePath) not found: \(url.path) does not exist")
        }
        return url
    }

    /// `../shared/fixtures/public`: real plan/state files published by other projects (see its SOURCES.md).
    static func publicFixtures() throws -> URL {
        try directory("fixtures/public")
    }
}
