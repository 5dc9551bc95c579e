import Foundation

/// Fingerprints of Swift source that survive rewording: the code is cut into tokens, comments
/// dropped, every identifier replaced by `I` and every literal by `L` (keywords, operators and
/// punctuation kept); every run of `k` tokens is hashed, and winnowing keeps the smallest hash of
/// every window of `window` hashes (Schleimer, Wilkerson and Aiken's method, which MOSS uses).
/// Two texts that share a run of at least `k + window − 1` tokens share a fingerprint, whatever
/// their names, spacing and comments.
public struct Fingerprints: Sendable, Equatable {
    /// One kept hash and where it came from.
    public struct Mark: Sendable, Equatable, Hashable {
        /// The hash of `k` normalised tokens.
        public var hash: UInt64
        /// The line of the run's first token (1-based).
        public var line: Int
        /// The line of the run's last token.
        public var endLine: Int
    }

    /// Tokens per hashed run.
    public static let k = 12
    /// Hashes per winnowing window.
    public static let window = 6

    /// The kept hashes, in text order.
    public let marks: [Mark]

    /// The set of kept hashes.
    public var hashes: Set<UInt64> { Set(marks.map(\.hash)) }

    /// The fingerprints of `source`.
    public init(source: String) {
        let tokens = SwiftTokens.normalised(source)
        guard tokens.count >= Self.k else { marks = []; return }
        let hashes = (0...(tokens.count - Self.k)).map { start in
            Mark(hash: Self.hash(tokens[start..<start + Self.k].map(\.text)), line: tokens[start].line, endLine: tokens[start + Self.k - 1].line)
        }
        var kept: [Mark] = []
        var lastIndex = -1
        for start in 0...max(0, hashes.count - Self.window) {
            let window = hashes[start..<min(hashes.count, start + Self.window)]
            // The rightmost smallest hash of the window, kept once.
            guard let index = window.indices.min(by: { window[$0].hash < window[$1].hash || (window[$0].hash == window[$1].hash && $0 > $1) })
            else { continue }
            if index != lastIndex { kept.append(hashes[index]); lastIndex = index }
        }
        marks = kept
    }

    /// FNV-1a over the tokens, separated.
    static func hash(_ tokens: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for token in tokens {
            for byte in token.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// A small Swift tokenizer for fingerprints: it knows comments, string literals (raw and
/// multi-line too), numbers, identifiers, keywords and operators, which is all rewording can touch.
public enum SwiftTokens {
    /// One token: its normalised text and its line.
    public struct Token: Sendable, Equatable {
        /// `I` for an identifier, `L` for a literal, else the keyword or symbol itself.
        public var text: String
        /// The line it starts on (1-based).
        public var line: Int
    }

    /// Swift's keywords and the library words whose choice carries meaning in the exercises'
    /// code (kept as they are, so that `grad` and `detached` still tell code apart).
    static let kept: Set<String> = [
        "func", "let", "var", "return", "if", "else", "guard", "for", "in", "while", "repeat", "switch", "case", "default",
        "throw", "throws", "try", "catch", "do", "import", "struct", "class", "enum", "extension", "protocol", "public",
        "private", "internal", "fileprivate", "static", "init", "self", "Self", "true", "false", "nil", "inout", "where",
        "break", "continue", "defer", "some", "any", "as", "is", "mutating", "typealias", "lazy", "weak", "final",
        "grad", "valueAndGrad", "detached", "withFirstOrderGradients", "withoutRecording", "sum", "mean", "sqrt", "exp", "log",
    ]

    /// The normalised tokens of `source`, comments dropped.
    public static func normalised(_ source: String) -> [Token] {
        let characters = Array(source.unicodeScalars)
        var tokens: [Token] = []
        var index = 0, line = 1
        func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < characters.count ? characters[index + offset] : nil }
        while index < characters.count {
            let c = characters[index]
            if c == "\n" { line += 1; index += 1; continue }
            if c.properties.isWhitespace { index += 1; continue }
            if c == "/" && peek(1) == "/" {
                while index < characters.count && characters[index] != "\n" { index += 1 }
                continue
            }
            if c == "/" && peek(1) == "*" {
                index += 2
                while index < characters.count && !(characters[index] == "*" && peek(1) == "/") {
                    if characters[index] == "\n" { line += 1 }
                    index += 1
                }
                index += 2
                continue
            }
            if c == "\"" || (c == "#" && (peek(1) == "\"" || peek(1) == "#")) {
                let start = line
                skipString(characters, &index, &line)
                tokens.append(Token(text: "L", line: start))
                continue
            }
            if c.properties.numericType != nil || (c == "." && peek(1)?.properties.numericType != nil && tokens.last?.text != "I") {
                while let next = peek(), next.properties.numericType != nil || next == "." || next == "_" || next == "e" || next == "x"
                    || ("a"..."f").contains(next) || ("A"..."F").contains(next) || ((next == "-" || next == "+") && (characters[index - 1] == "e")) {
                    index += 1
                }
                tokens.append(Token(text: "L", line: line))
                continue
            }
            if c.properties.isAlphabetic || c == "_" || c == "$" || c == "`" {
                var word = ""
                while let next = peek(), next.properties.isAlphabetic || next.properties.numericType != nil || next == "_" || next == "$" || next == "`" {
                    if next != "`" { word.unicodeScalars.append(next) }
                    index += 1
                }
                tokens.append(Token(text: kept.contains(word) ? word : "I", line: line))
                continue
            }
            // Operators and punctuation, runs of operator characters as one token.
            let operatorCharacters: Set<Unicode.Scalar> = ["+", "-", "*", "/", "=", "<", ">", "!", "&", "|", "^", "~", "?", "%", "."]
            if operatorCharacters.contains(c) {
                var symbol = ""
                while let next = peek(), operatorCharacters.contains(next) { symbol.unicodeScalars.append(next); index += 1 }
                tokens.append(Token(text: symbol, line: line))
                continue
            }
            tokens.append(Token(text: String(c), line: line))
            index += 1
        }
        return tokens
    }

    /// Moves `index` past a string literal starting at it (`"…"`, `"""…"""`, `#"…"#`).
    static func skipString(_ characters: [Unicode.Scalar], _ index: inout Int, _ line: inout Int) {
        var hashes = 0
        while index < characters.count && characters[index] == "#" { hashes += 1; index += 1 }
        let multiline = index + 2 < characters.count && characters[index] == "\"" && characters[index + 1] == "\"" && characters[index + 2] == "\""
        index += multiline ? 3 : 1
        while index < characters.count {
            let c = characters[index]
            if c == "\n" { line += 1; if !multiline { return } }
            if c == "\\" && hashes == 0 { index += 2; continue }
            let closes = multiline
                ? index + 2 < characters.count && c == "\"" && characters[index + 1] == "\"" && characters[index + 2] == "\""
                : c == "\""
            if closes {
                var end = index + (multiline ? 3 : 1)
                var count = 0
                while end < characters.count && characters[end] == "#" && count < hashes { count += 1; end += 1 }
                if count == hashes { index = end; return }
            }
            index += 1
        }
    }
}

extension Fingerprints {
    /// The fingerprints of the code a course hands out with exercise `exercise` (its stub and given
    /// code: every `.swift` file under `Exercises/<exercise>`), which no answer is judged by: the
    /// leak check and the similarity report both leave them out.
    public static func handedOut(exercise: String, repository: URL) -> Set<UInt64> {
        LeakCheck.swiftFiles(in: repository.appendingPathComponent("Exercises/\(exercise)"), recursive: true)
            .reduce(into: Set<UInt64>()) { $0.formUnion(Fingerprints(source: $1.text).hashes) }
    }
}
