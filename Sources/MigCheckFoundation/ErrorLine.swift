/// What the command line prints on standard error about values it was given (flags, paths,
/// rule IDs): each made visible, each error exactly one line that no CI log takes for a
/// workflow command.
public enum ErrorLine {
    /// The last line of defence before standard error: whatever `line` holds, one line. A
    /// line that would start with `::` (or with blanks, which GitHub's runner trims before
    /// looking for `::`) can only start with a relative file path, so it gets `./` in front:
    /// the same file, and never a workflow command.
    public static func oneLine(_ line: String) -> String {
        let visibleLine = TextEscaping.visible(line)
        guard let first = visibleLine.unicodeScalars.first, first == ":" || first.properties.isWhitespace else { return visibleLine }
        return "./" + visibleLine
    }
}
