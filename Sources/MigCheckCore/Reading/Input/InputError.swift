/// Bad input: reported as one line `FILE:LINE:COLUMN: message` and exit code 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let position: SourcePosition?
    public let message: String

    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    /// One line, as compilers print it, so editors and CI annotators can jump to it.
    public var description: String {
        let flattened = message.replacingNewlines()
        if let position { return "\(file):\(position.line):\(position.column): error: \(flattened)" }
        return "\(file): error: \(flattened)"
    }
}

extension String {
    func replacingNewlines() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\n" || scalar == "\r" { out += " " } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
