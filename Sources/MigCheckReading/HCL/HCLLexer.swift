import MigCheckFoundation

/// A small lexer for Terraform's native syntax (HCL), enough to find top-level blocks and
/// comments without being fooled by what strings, templates and heredocs hold.
///
/// It understands quoted strings with escapes; `${…}` and `%{…}` template sequences (nested,
/// with strings, braces, comments and heredocs inside, `$${`/`%%{` as literals); heredocs
/// (`<<ID` and `<<-ID`, the terminator alone on its line, indentation allowed); and the three
/// comment forms `#`, `//` and `/* … */`. Only tokens outside every string, template and
/// heredoc are returned; a string or heredoc is one token.
///
/// It never fails: a quoted string ends at the end of its line if no quote closes it, an
/// unterminated heredoc, template or block comment runs to the end of the file. Nesting is
/// kept on an explicit stack, so hostile input cannot exhaust the call stack; each step
/// consumes at least one character, so it always ends.
///
/// Lines and columns are 1-based, columns counted in Unicode scalars (as everywhere in migcheck).
struct HCLToken: Equatable {
    enum Kind: Equatable {
        case identifier
        /// A quoted string; `text` is its literal value when it holds no template sequence.
        case string
        case heredoc
        case openBrace
        case closeBrace
        case equals
        /// `text` is the whole comment, markers included (`# …`, `// …`, `/* … */`).
        case lineComment
        case blockComment
        case newline
        case other
    }

    let kind: Kind
    var text: String = ""
    /// True for a string or heredoc that holds a `${…}` or `%{…}` sequence.
    var isTemplate = false
    let line: Int
    let column: Int
    /// The line the token ends on (a block comment, a heredoc or a template can span lines).
    var endLine: Int

    var isComment: Bool { kind == .lineComment || kind == .blockComment }
}

enum HCLLexer {
    private enum Context {
        /// Inside a quoted string.
        case quoted
        /// Inside `${…}`/`%{…}`; `depth` counts the braces opened inside it.
        case template(depth: Int)
        /// Inside a heredoc's body.
        case heredoc(tag: [Unicode.Scalar], atLineStart: Bool)
    }

    static func tokens(_ text: String) -> [HCLToken] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var cursor = Cursor(scalars: scalars)
        var tokens: [HCLToken] = []
        var stack: [Context] = []
        // The outermost string or heredoc being read: where it began, its literal text so far.
        var outer: (kind: HCLToken.Kind, line: Int, column: Int, text: String, template: Bool)?

        func closeOuter() {
            guard stack.isEmpty, let open = outer else { return }
            tokens.append(HCLToken(kind: open.kind, text: open.text, isTemplate: open.template,
                                   line: open.line, column: open.column, endLine: cursor.line))
            outer = nil
        }
        func literal(_ scalar: Unicode.Scalar) {
            if stack.count == 1 { outer?.text.unicodeScalars.append(scalar) }
        }
        func startTemplate() {
            if outer != nil { outer?.template = true }
            cursor.advance(2)
            stack.append(.template(depth: 0))
        }
        // Inside a string or heredoc: `$${`/`%%{` are literal, `${`/`%{` open a template.
        func templateOrLiteral(_ scalar: Unicode.Scalar) {
            if scalar == "$" || scalar == "%", cursor.peek(1) == scalar, cursor.peek(2) == "{" {
                literal(scalar)
                literal("{")
                cursor.advance(3)
            } else if scalar == "$" || scalar == "%", cursor.peek(1) == "{" {
                startTemplate()
            } else {
                literal(scalar)
                cursor.advance()
            }
        }

        while let scalar = cursor.current {
            switch stack.last {
            case .quoted?:
                if scalar == "\"" {
                    cursor.advance()
                    stack.removeLast()
                    closeOuter()
                } else if scalar == "\n" {
                    // No quote on this line: the string ends here, and the next line is read afresh.
                    stack.removeLast()
                    closeOuter()
                } else if scalar == "\\" {
                    cursor.advance()
                    guard let escaped = cursor.current, escaped != "\n" else { continue }
                    switch escaped {
                    case "n": literal("\n")
                    case "t": literal("\t")
                    case "r": literal("\r")
                    default: literal(escaped)
                    }
                    cursor.advance()
                } else {
                    templateOrLiteral(scalar)
                }
            case .heredoc(let tag, let atLineStart)?:
                if atLineStart, let length = cursor.terminator(tag) {
                    cursor.advance(length)
                    stack.removeLast()
                    closeOuter()
                    continue
                }
                stack[stack.count - 1] = .heredoc(tag: tag, atLineStart: scalar == "\n")
                templateOrLiteral(scalar)
            case .template?, nil:
                let top = stack.isEmpty
                let line = cursor.line
                let column = cursor.column
                func emit(_ kind: HCLToken.Kind, _ text: String = "") {
                    if top { tokens.append(HCLToken(kind: kind, text: text, line: line, column: column, endLine: cursor.line)) }
                }
                if scalar == "\n" {
                    cursor.advance()
                    emit(.newline)
                } else if scalar == " " || scalar == "\t" || scalar == "\r" {
                    cursor.advance()
                } else if scalar == "#" || (scalar == "/" && cursor.peek(1) == "/") {
                    let start = cursor.index
                    while let next = cursor.current, next != "\n" { cursor.advance() }
                    emit(.lineComment, cursor.text(from: start, trimmingCarriageReturn: true))
                } else if scalar == "/", cursor.peek(1) == "*" {
                    let start = cursor.index
                    cursor.advance(2)
                    while let next = cursor.current, !(next == "*" && cursor.peek(1) == "/") { cursor.advance() }
                    cursor.advance(2)
                    emit(.blockComment, cursor.text(from: start))
                } else if scalar == "\"" {
                    if top { outer = (.string, line, column, "", false) }
                    cursor.advance()
                    stack.append(.quoted)
                } else if scalar == "<", cursor.peek(1) == "<", let opener = cursor.heredocOpener() {
                    if top { outer = (.heredoc, line, column, "", false) }
                    cursor.advance(opener.length)
                    stack.append(.heredoc(tag: opener.tag, atLineStart: true))
                } else if scalar == "{" {
                    cursor.advance()
                    if case .template(let depth)? = stack.last {
                        stack[stack.count - 1] = .template(depth: depth + 1)
                    }
                    emit(.openBrace)
                } else if scalar == "}" {
                    cursor.advance()
                    if case .template(let depth)? = stack.last {
                        if depth == 0 {
                            stack.removeLast()
                        } else {
                            stack[stack.count - 1] = .template(depth: depth - 1)
                        }
                    }
                    emit(.closeBrace)
                } else if scalar == "=", cursor.peek(1) != "=", cursor.peek(1) != ">" {
                    cursor.advance()
                    emit(.equals)
                } else if HCLLexer.isIdentifierStart(scalar) {
                    let start = cursor.index
                    while let next = cursor.current, HCLLexer.isIdentifierContinue(next) { cursor.advance() }
                    emit(.identifier, cursor.text(from: start))
                } else {
                    cursor.advance()
                    emit(.other)
                }
            }
        }
        // An unterminated string, heredoc or template ends with the file.
        if outer != nil {
            stack.removeAll()
            closeOuter()
        }
        return tokens
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isXIDStart
    }

    static func isIdentifierContinue(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == "-" || scalar.properties.isXIDContinue
    }

    /// Reading position over the scalars, with its line and column.
    private struct Cursor {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var column = 1

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func peek(_ offset: Int) -> Unicode.Scalar? {
            let at = index + offset
            return at < scalars.count ? scalars[at] : nil
        }

        mutating func advance(_ count: Int = 1) {
            for _ in 0..<count {
                guard index < scalars.count else { return }
                if scalars[index] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
            }
        }

        func text(from start: Int, trimmingCarriageReturn: Bool = false) -> String {
            var slice = scalars[start..<index]
            if trimmingCarriageReturn, slice.last == "\r" { slice.removeLast() }
            var out = ""
            out.unicodeScalars.append(contentsOf: slice)
            return out
        }

        /// `<<ID` or `<<-ID` followed by the end of the line: the tag and how many scalars
        /// the opener takes, up to (not including) the newline.
        func heredocOpener() -> (tag: [Unicode.Scalar], length: Int)? {
            var at = index + 2
            if at < scalars.count, scalars[at] == "-" { at += 1 }
            let tagStart = at
            guard at < scalars.count, HCLLexer.isIdentifierStart(scalars[at]) else { return nil }
            while at < scalars.count, HCLLexer.isIdentifierContinue(scalars[at]) { at += 1 }
            let tag = Array(scalars[tagStart..<at])
            while at < scalars.count, scalars[at] == " " || scalars[at] == "\t" || scalars[at] == "\r" { at += 1 }
            guard at < scalars.count, scalars[at] == "\n" else { return nil }
            // The body starts on the next line: consume the newline with the opener.
            return (tag, at + 1 - index)
        }

        /// At the start of a heredoc line: when the line is the terminator (indentation
        /// allowed), how many scalars it takes up to the end of the line; nil otherwise.
        func terminator(_ tag: [Unicode.Scalar]) -> Int? {
            var at = index
            while at < scalars.count, scalars[at] == " " || scalars[at] == "\t" { at += 1 }
            guard at + tag.count <= scalars.count, Array(scalars[at..<(at + tag.count)]) == tag else { return nil }
            at += tag.count
            while at < scalars.count, scalars[at] == " " || scalars[at] == "\t" || scalars[at] == "\r" { at += 1 }
            guard at == scalars.count || scalars[at] == "\n" else { return nil }
            return at - index
        }
    }
}
