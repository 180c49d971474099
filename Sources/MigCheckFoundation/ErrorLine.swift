/// What the command line prints on standard error about values it was given (flags, paths,
/// rule IDs): each made visible, each error exactly one line that no CI log takes for a
/// workflow command.
public enum ErrorLine {
    /// Bidirectional embeddings, overrides and isolates: they reorder what a reader sees.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// A value echoed in an error: control characters (line breaks included) and bidi
    /// controls written as `\uXXXX`, the way file paths are.
    public static func visible(_ value: String) -> String {
        let escaped = TextEscaping.visible(value)
        guard escaped.unicodeScalars.contains(where: isBidiControl) else { return escaped }
        var out = ""
        for scalar in escaped.unicodeScalars {
            if isBidiControl(scalar) { out += TextEscaping.escaped(scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// The last line of defence before standard error: whatever `line` holds, one line. A
    /// line that would start with `::` (or with blanks, which GitHub's runner trims before
    /// looking for `::`) can only start with a relative file path, so it gets `./` in front:
    /// the same file, and never a workflow command.
    public static func oneLine(_ line: String) -> String {
        let visibleLine = visible(line)
        guard let first = visibleLine.unicodeScalars.first, first == ":" || first.properties.isWhitespace else { return visibleLine }
        return "./" + visibleLine
    }
}
