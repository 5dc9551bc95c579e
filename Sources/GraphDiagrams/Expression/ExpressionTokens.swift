/// One token of an expression, with the column it starts at (1-based, in characters).
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case name(String)
        /// One of + - * / ^ ( ) , ("**" is read as "^").
        case symbol(Character)
        case end
    }

    let kind: Kind
    let column: Int
    /// The characters as written (for messages).
    let text: String
}

/// Splits an expression into numbers, names and symbols; spaces separate and are dropped.
enum ExpressionTokenizer {
    static let symbols: Set<Character> = ["+", "-", "*", "/", "^", "(", ")", ","]

    static func tokens(of source: String) throws -> [ExpressionToken] {
        let characters = Array(source)
        var tokens: [ExpressionToken] = []
        var i = 0
        while i < characters.count {
            let c = characters[i], column = i + 1
            if c.isWhitespace {
                i += 1
            } else if c.isDigit || (c == "." && i + 1 < characters.count && characters[i + 1].isDigit) {
                let start = i
                i = numberEnd(characters, from: i)
                let text = String(characters[start..<i])
                guard let value = Double(text) else {
                    throw ExpressionError(source: source, column: column, problem: "\"\(text)\" is not a number")
                }
                tokens.append(ExpressionToken(kind: .number(value), column: column, text: text))
            } else if c.isLetter || c == "_" {
                let start = i
                while i < characters.count, characters[i].isLetter || characters[i].isDigit || characters[i] == "_" { i += 1 }
                let text = String(characters[start..<i])
                tokens.append(ExpressionToken(kind: .name(text), column: column, text: text))
            } else if c == "*", i + 1 < characters.count, characters[i + 1] == "*" {
                tokens.append(ExpressionToken(kind: .symbol("^"), column: column, text: "**"))
                i += 2
            } else if symbols.contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(c), column: column, text: String(c)))
                i += 1
            } else {
                throw ExpressionError(source: source, column: column,
                                      problem: "unexpected character '\(c)'; use numbers, names, + - * / ^, parentheses and commas")
            }
        }
        tokens.append(ExpressionToken(kind: .end, column: characters.count + 1, text: "the end"))
        return tokens
    }

    /// The index after a number: digits, one decimal point, and an exponent such as e-3.
    static func numberEnd(_ characters: [Character], from start: Int) -> Int {
        var i = start
        while i < characters.count, characters[i].isDigit || characters[i] == "." { i += 1 }
        if i < characters.count, characters[i] == "e" || characters[i] == "E" {
            var j = i + 1
            if j < characters.count, characters[j] == "+" || characters[j] == "-" { j += 1 }
            if j < characters.count, characters[j].isDigit {
                i = j
                while i < characters.count, characters[i].isDigit { i += 1 }
            }
        }
        return i
    }
}

extension Character {
    /// An ASCII digit 0-9 (not superscripts or other numerals).
    var isDigit: Bool { isASCII && isNumber }
}
