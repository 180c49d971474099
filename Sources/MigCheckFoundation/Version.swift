public enum MigCheckVersion {
    public static let current = "0.1.0"
    /// The repository: the one place its address is written.
    public static let informationURI = "https://github.com/migcheck/migcheck"
    /// Where the rule pages (`docs/rules/MIG0NN.md`) are read; `--rules-url` overrides it for forks.
    public static var rulesURL: String { informationURI + "/blob/main/" + rulesDirectory }
    /// Where the rule pages live in the repository (`RuleDocs.directory`).
    public static let rulesDirectory = "docs/rules"
}
