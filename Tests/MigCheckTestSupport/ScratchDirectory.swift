import Foundation
import XCTest

extension XCTestCase {
    /// A fresh directory under the temporary directory, removed when the test ends.
    func scratchDirectory() throws -> URL {
        let directory = try MigCheckBinary.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }
}

/// Files a test writes into its scratch directory (Terraform sources, policies).
enum ScratchFiles {
    /// Writes `text` to `name` under `root`, creating the folders on the way.
    static func write(in root: String, _ name: String, _ text: String) throws {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
