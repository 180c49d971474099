public enum MigCheckVersion {
    public static let current = "0.1.0"
    public static let informationURI = "https://github.com/migcheck/migcheck"
}
