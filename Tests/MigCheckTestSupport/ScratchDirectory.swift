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
