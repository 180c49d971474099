public enum MigCheckVersion {
    /// The semantic version: the one place it is written. The release workflow reads it here,
    /// and a test checks it against CHANGELOG.md's latest released entry and the reports.
    public static let current = "0.1.0"
    /// The repository: the one place its address is written.
    public static let informationURI = "https://github.com/migcheck/migcheck"
    /// Where the rule pages (`docs/rules/MIG0NN.md`) are read; `--rules-url` overrides it for forks.
    public static var rulesURL: String { informationURI + "/blob/main/" + rulesDirectory }
    /// Where the rule pages live in the repository (`RuleDocs.directory`).
    public static let rulesDirectory = "docs/rules"

    /// `0.1.0 (abc1234)`: the version and the commit built from (the CLI's `buildCommit`, written
    /// by the BuildCommit plugin); `0.1.0 (unknown commit)` when the build knew none.
    public static func described(commit: String?) -> String {
        "\(current) (\(commit ?? "unknown commit"))"
    }
}
