/// Swift source cut into tokens that keep their text and place, for mutation testing: unlike
/// `SwiftTokens` (which normalises for fingerprints), every token here knows where it starts and
/// ends, so a mutant is one replacement of a stretch of the original text. Comments and string
/// literals are single tokens that no operator touches.
public struct MutationSource: Sendable {
    /// What a token is.
    public enum Kind: Sendable, Equatable {
        /// A name or keyword (`grad`, `let`, `$0`).
        case word
        /// A number literal; `isFloat` when it has a fraction or an exponent.
        case number(isFloat: Bool)
        /// A whole string literal, interpolations included.
        case string
        /// A comment, documentation comments included.
        case comment
        /// A run of operator characters (`+`, `..<`, `+=`, `==`).
        case symbol
        /// Brackets, commas, colons, the member dot, a postfix `?` or `!`.
        case punctuation

        /// True for a number or string literal.
        public var isLiteral: Bool {
            switch self {
            case .number, .string: true
            default: false
            }
        }
    }

    /// One token of the source.
    public struct Token: Sendable, Equatable {
        /// The kind of token.
        public var kind: Kind
        /// The token's text as written.
        public var text: String
        /// Offset of its first Unicode scalar in the source.
        public var start: Int
        /// Offset just past its last Unicode scalar.
        public var end: Int
        /// The line it starts on (1-based).
        public var line: Int
    }

    /// The source's Unicode scalars.
    public let scalars: [Unicode.Scalar]
    /// Every token except comments, in text order.
    public let tokens: [Token]
    /// The comments, in text order.
    public let comments: [Token]

    /// Cuts `text` into tokens.
    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var code: [Token] = [], comments: [Token] = []
        for token in Self.lex(scalars) {
            if token.kind == .comment { comments.append(token) } else { code.append(token) }
        }
        tokens = code
        self.comments = comments
    }

    /// The text between two offsets.
    public func text(_ start: Int, _ end: Int) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[start..<end])
        return result
    }

    /// True when whitespace, or the start or end of the text, lies just before offset `start`.
    func spaceBefore(_ token: Token) -> Bool {
        token.start == 0 || scalars[token.start - 1].properties.isWhitespace
    }

    /// True when whitespace, or the end of the text, lies just after `token`.
    func spaceAfter(_ token: Token) -> Bool {
        token.end >= scalars.count || scalars[token.end].properties.isWhitespace
    }

    /// Characters that make up operators (the member dot is punctuation unless doubled, as in `..<`).
    static let operatorCharacters: Set<Unicode.Scalar> = ["+", "-", "*", "/", "=", "<", ">", "!", "&", "|", "^", "~", "?", "%"]

    /// The tokens of `characters`, comments included.
    static func lex(_ characters: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var index = 0, line = 1
        func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < characters.count ? characters[index + offset] : nil }
        func add(_ kind: Kind, from start: Int, line startLine: Int) {
            var text = ""
            text.unicodeScalars.append(contentsOf: characters[start..<index])
            tokens.append(Token(kind: kind, text: text, start: start, end: index, line: startLine))
        }
        while index < characters.count {
            let c = characters[index], start = index, startLine = line
            if c == "\n" { line += 1; index += 1; continue }
            if c.properties.isWhitespace { index += 1; continue }
            if c == "/" && peek(1) == "/" {
                while index < characters.count && characters[index] != "\n" { index += 1 }
                add(.comment, from: start, line: startLine)
            } else if c == "/" && peek(1) == "*" {
                index += 2
                while index < characters.count && !(characters[index] == "*" && peek(1) == "/") {
                    if characters[index] == "\n" { line += 1 }
                    index += 1
                }
                index = min(index + 2, characters.count)
                add(.comment, from: start, line: startLine)
            } else if c == "\"" || (c == "#" && (peek(1) == "\"" || peek(1) == "#")) {
                SwiftTokens.skipString(characters, &index, &line)
                add(.string, from: start, line: startLine)
            } else if c.properties.numericType != nil {
                // A tuple index (`$1.0`) is a number after a member dot, and never has a fraction.
                let afterMemberDot = tokens.last.map { $0.text == "." && $0.end == start } ?? false
                var isFloat = false
                index += 1
                while let next = peek(0) {
                    let digit = { (offset: Int) in peek(offset)?.properties.numericType != nil }
                    if next.properties.numericType != nil || next == "_" {
                        index += 1
                    } else if next == "." && !afterMemberDot && !isFloat && digit(1) {
                        isFloat = true
                        index += 1
                    } else if (next == "e" || next == "E") && (digit(1) || ((peek(1) == "-" || peek(1) == "+") && digit(2))) {
                        isFloat = true
                        index += 2
                    } else {
                        break
                    }
                }
                add(.number(isFloat: isFloat), from: start, line: startLine)
            } else if c.properties.isAlphabetic || c == "_" || c == "$" || c == "`" {
                while let next = peek(0), next.properties.isAlphabetic || next.properties.numericType != nil || next == "_" || next == "$" || next == "`" {
                    index += 1
                }
                add(.word, from: start, line: startLine)
            } else if c == "." && peek(1) == "." {
                while let next = peek(0), next == "." || next == "<" { index += 1 }
                add(.symbol, from: start, line: startLine)
            } else if (c == "?" || c == "!") && index > 0 && !characters[index - 1].properties.isWhitespace
                        && !["(", "[", ",", "{"].contains(characters[index - 1]) && peek(1) != "=" {
                // A postfix `?` or `!` (optional chaining, unwrapping) binds to what precedes it.
                index += 1
                add(.punctuation, from: start, line: startLine)
            } else if operatorCharacters.contains(c) {
                while let next = peek(0), operatorCharacters.contains(next) { index += 1 }
                add(.symbol, from: start, line: startLine)
            } else {
                index += 1
                add(.punctuation, from: start, line: startLine)
            }
        }
        return tokens
    }
}
