import Foundation
import MigCheckReading

/// The AWS CLI evidence recorded against moto (`Fixtures/evidence/SCENARIO/`), read as migcheck reads it.
enum EvidenceFixtures {
    static var root: URL { PackagePaths.packageRoot.appendingPathComponent("Fixtures/evidence") }

    /// The directory of one scenario.
    static func path(_ scenario: String) -> String { root.appendingPathComponent(scenario).path }

    /// Every evidence file of one scenario, in name order.
    static func scenario(_ name: String) throws -> [EvidenceDocument] {
        let directory = root.appendingPathComponent(name)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "README.md" }.sorted()
        return try names.map { try EvidenceReader.read(path: directory.appendingPathComponent($0).path) }
    }
}
