import Foundation

/// The reference point: what a straightforward Foundation implementation
/// pays to load the same plan. Runs in its own process (re-executed bench
/// binary) so its wall time and peak RSS are measured like migcheck's.
enum FoundationBaseline {
    static func run(path: String) -> Int32 {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let object = try JSONSerialization.jsonObject(with: data)
            guard let document = object as? [String: Any] else {
                printError("migcheck-bench: \(path): top level is not a JSON object")
                return 1
            }
            // Touch the result so the parse cannot be treated as dead work.
            let changes = (document["resource_changes"] as? [Any])?.count ?? 0
            print("top-level keys: \(document.count), resource_changes: \(changes)")
            return 0
        } catch {
            printError("migcheck-bench: \(path): \(error)")
            return 1
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
