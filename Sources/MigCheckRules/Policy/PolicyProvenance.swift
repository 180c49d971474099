import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Which policy a run applied: a file, as its path was given, or the built-in policy, with the
/// SHA-256 of the bytes read (of `Policy.builtInDefault.fileText` for the built-in one), so a
/// report says exactly which decisions it was judged under.
public struct PolicyProvenance: Equatable, Sendable {
    public enum Origin: String, Sendable {
        /// `--policy FILE`.
        case flag = "--policy"
        /// `./migcheck.json`, found in the working directory.
        case workingDirectory = "working directory"
        /// No policy file: `Policy.builtInDefault`.
        case builtIn = "built-in"
    }

    public var origin: Origin
    /// The path as given (or `migcheck.json`); nil for the built-in policy.
    public var path: String?
    /// 64 lower-case hexadecimal digits.
    public var sha256: String

    public init(origin: Origin, path: String?, sha256: String) {
        self.origin = origin
        self.path = origin == .builtIn ? nil : path
        self.sha256 = sha256
    }

    /// The built-in policy: the SHA-256 of its canonical text (`migcheck default-policy`, `Policies/migcheck.json`).
    public static var builtIn: PolicyProvenance {
        PolicyProvenance(origin: .builtIn, path: nil, sha256: SHA256.hexDigest(of: Policy.builtInDefault.fileText))
    }

    /// `built-in`, or `file PATH` (unescaped: each report escapes it its own way).
    public var label: String {
        path.map { "file \($0)" } ?? "built-in"
    }
}
