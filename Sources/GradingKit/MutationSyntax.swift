/// Just enough of Swift's expression syntax to place operator mutants: matching brackets, binary
/// operators and their precedence, the extent of an operand, calls and their arguments, and the
/// stretches that are not mutated (imports, argument validation, thrown errors).
struct MutationSyntax {
    /// The source and its tokens.
    let source: MutationSource
    /// The index of the matching bracket of every bracket token.
    let partner: [Int: Int]

    /// The syntax of `source`.
    init(_ source: MutationSource) {
        self.source = source
        var partner: [Int: Int] = [:]
        var open: [Int] = []
        for (index, token) in source.tokens.enumerated() where token.kind == .punctuation {
            switch token.text {
            case "(", "[", "{": open.append(index)
            case ")", "]", "}":
                if let last = open.popLast() { partner[last] = index; partner[index] = last }
            default: break
            }
        }
        self.partner = partner
    }

    var tokens: [MutationSource.Token] { source.tokens }

    /// Swift's keywords that end or start an expression (those that are values, like `self`, are not here).
    static let keywords: Set<String> = [
        "func", "let", "var", "return", "if", "else", "guard", "for", "in", "while", "repeat", "switch", "case", "default",
        "throw", "throws", "rethrows", "try", "await", "catch", "do", "import", "struct", "class", "enum", "extension", "protocol",
        "public", "private", "internal", "fileprivate", "static", "where", "break", "continue", "defer", "some", "any", "as", "is",
        "mutating", "typealias", "lazy", "weak", "final", "inout", "init", "subscript", "get", "set", "async", "package",
    ]

    /// Functions whose two arguments may be exchanged without changing the result.
    static let symmetricFunctions: Set<String> = ["min", "max"]

    /// Names that take a trailing closure in expressions (`grad { … }(θ)`, `xs.map { … }`).
    static let closureTakers: Set<String> = [
        "grad", "valueAndGrad", "map", "compactMap", "flatMap", "filter", "reduce", "contains", "allSatisfy", "first", "sorted",
        "min", "max", "withoutRecording", "withFirstOrderGradients", "forEach",
    ]

    /// The precedence of a binary operator (higher binds tighter); nil when the text is none.
    static func rank(_ symbol: String) -> Int? {
        switch symbol {
        case "*", "/", "%", "&*": 7
        case "+", "-", "&+", "&-": 6
        case "..<", "...": 5
        case "??": 4
        case "==", "!=", "<", "<=", ">", ">=", "===", "!==", "~=": 3
        case "&&": 2
        case "||": 1
        case "?": 0
        case "=", "+=", "-=", "*=", "/=", "%=": -1
        default: nil
        }
    }

    /// True when token `index` is a binary operator written with space on both sides (the style
    /// of the course's code; a spaced `->` or an unknown operator counts, and ends operands).
    func isSpacedBinary(_ index: Int) -> Bool {
        let token = tokens[index]
        return token.kind == .symbol && source.spaceBefore(token) && source.spaceAfter(token)
    }

    /// True when token `index` is a prefix operator (`-x`, `!done`).
    func isPrefix(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .symbol, !source.spaceAfter(token), index + 1 < tokens.count, tokens[index + 1].start == token.end else { return false }
        // What follows must be an operand (`(+)` passes an operator, it applies none).
        let next = tokens[index + 1]
        guard next.kind == .word || next.kind.isLiteral || ["(", "[", "."].contains(next.text) else { return false }
        guard index > 0 else { return true }
        let before = tokens[index - 1]
        return before.end < token.start || (before.kind == .punctuation && ["(", "[", ",", "{", ":"].contains(before.text))
    }

    /// True when token `index` is an operator passed as a function (`reduce(0, +)`, `map(+)`).
    func isOperatorReference(_ index: Int) -> Bool {
        guard index > 0, index + 1 < tokens.count, tokens[index].kind == .symbol else { return false }
        let before = tokens[index - 1], after = tokens[index + 1]
        return before.kind == .punctuation && ["(", ","].contains(before.text) && after.kind == .punctuation && [")", ","].contains(after.text)
    }

    /// The line token `index` ends on.
    func endLine(_ index: Int) -> Int {
        tokens[index].line + tokens[index].text.unicodeScalars.filter { $0 == "\n" }.count
    }

    /// True when token `index` starts a new line and the expression before it does not go on
    /// there (the line before ends with a binary operator, or this one starts with one or a dot).
    func breaksExpression(at index: Int) -> Bool {
        guard index > 0, tokens[index].line > endLine(index - 1) else { return false }
        let before = tokens[index - 1], token = tokens[index]
        if before.kind == .symbol && Self.rank(before.text) != nil { return false }
        if token.kind == .symbol && Self.rank(token.text) != nil { return false }
        return !(token.kind == .punctuation && token.text == ".")
    }

    /// True when the `{` at `index` opens a trailing closure of an expression (it follows a
    /// closure-taking name or a call to one), not a statement's body.
    func opensTrailingClosure(_ index: Int) -> Bool {
        guard index > 0, tokens[index].text == "{" else { return false }
        var before = index - 1
        if tokens[before].text == ")", let open = partner[before], open > 0 { before = open - 1 }
        return tokens[before].kind == .word && Self.closureTakers.contains(tokens[before].text)
    }

    /// The index of the last token of the operand that starts at `first`, for an operator of
    /// precedence `rank` on its left (operators binding tighter belong to the operand); nil when
    /// nothing there is an operand.
    func operandEnd(from first: Int, rank: Int) -> Int? {
        var index = first
        var last: Int?
        scan: while index < tokens.count {
            if index > first && breaksExpression(at: index) { break }
            let token = tokens[index]
            switch token.kind {
            case .punctuation:
                switch token.text {
                case "(", "[":
                    guard let close = partner[index] else { return nil }
                    last = close
                    index = close + 1
                case "{":
                    guard last != nil, opensTrailingClosure(index), let close = partner[index] else { break scan }
                    last = close
                    index = close + 1
                case ".", "?", "!":
                    last = index
                    index += 1
                default:
                    break scan
                }
            case .symbol:
                if isPrefix(index) && last == nil { index += 1; continue }
                guard let other = Self.rank(token.text), isSpacedBinary(index), other > rank, last != nil else { break scan }
                index += 1
            case .word:
                if Self.keywords.contains(token.text) {
                    guard (token.text == "try" || token.text == "await") && last == nil else { break scan }
                    index += 1
                    continue
                }
                last = index
                index += 1
            case .number, .string:
                last = index
                index += 1
            case .comment:
                index += 1
            }
        }
        return last
    }

    /// The index of the first token of the operand that ends at `last`, for an operator of
    /// precedence `rank` on its right; nil when nothing there is an operand.
    func operandStart(from last: Int, rank: Int) -> Int? {
        var index = last
        var first: Int?
        scan: while index >= 0 {
            if index < last && breaksExpression(at: index + 1) { break }
            let token = tokens[index]
            switch token.kind {
            case .punctuation:
                switch token.text {
                case ")", "]":
                    guard let open = partner[index] else { return nil }
                    first = open
                    index = open - 1
                case "}":
                    guard let open = partner[index], opensTrailingClosure(open) else { break scan }
                    first = open
                    index = open - 1
                case ".", "?", "!":
                    first = index
                    index -= 1
                default:
                    break scan
                }
            case .symbol:
                if isPrefix(index) && first != nil { first = index; index -= 1; continue }
                guard let other = Self.rank(token.text), isSpacedBinary(index), other > rank, first != nil else { break scan }
                index -= 1
            case .word:
                guard !Self.keywords.contains(token.text) else { break scan }
                first = index
                index -= 1
            case .number, .string:
                first = index
                index -= 1
            case .comment:
                index -= 1
            }
        }
        return first
    }

    /// The first token of the postfix expression (`a.b(c)[d]`) that ends at `last`.
    func postfixStart(endingAt last: Int) -> Int? {
        var index = last
        var first: Int?
        while index >= 0 {
            let token = tokens[index]
            // The parts of a chain touch, except before a trailing closure (`grad { … }`).
            if let current = first, token.end != tokens[current].start, tokens[current].text != "{" { break }
            if token.kind == .word && !Self.keywords.contains(token.text) || token.kind.isLiteral {
                first = index
                index -= 1
            } else if token.kind == .punctuation && [")", "]"].contains(token.text), let open = partner[index] {
                first = open
                index = open - 1
            } else if token.text == "}", let open = partner[index], opensTrailingClosure(open) {
                first = open
                index = open - 1
            } else if token.kind == .punctuation && [".", "?", "!"].contains(token.text) {
                first = index
                index -= 1
            } else {
                break
            }
        }
        return first
    }

    /// One argument of a call: its label's first token (when labelled) and its value's tokens.
    struct Argument {
        /// The label token, when the argument has one.
        var label: Int?
        /// The first and last token of the value.
        var first: Int, last: Int
    }

    /// The arguments of the call whose `(` is at `open`, or nil when that bracket is not a call
    /// (a declaration's parameters, a tuple, a type, an attribute).
    func callArguments(at open: Int) -> [Argument]? {
        guard tokens[open].text == "(", let close = partner[open], open > 0 else { return nil }
        let callee = tokens[open - 1]
        guard callee.end == tokens[open].start else { return nil }
        switch callee.kind {
        case .word:
            if Self.keywords.contains(callee.text) && callee.text != "init" { return nil }
            if open >= 2 {
                let before = tokens[open - 2]
                if before.text == "func" || before.text == "@" || before.text == "#" { return nil }
                if ["init", "subscript"].contains(callee.text) && before.text != "." { return nil }
            } else if callee.text == "init" {
                return nil
            }
        case .punctuation:
            guard [")", "]", "}", "?", "!"].contains(callee.text) else { return nil }
        default:
            return nil
        }
        var arguments: [Argument] = []
        var start = open + 1
        var index = open + 1
        while index <= close {
            let token = tokens[index]
            if index == close || (token.kind == .punctuation && token.text == ",") {
                if start < index {
                    var argument = Argument(label: nil, first: start, last: index - 1)
                    if index - start >= 3, tokens[start].kind == .word, tokens[start + 1].text == ":" {
                        argument = Argument(label: start, first: start + 2, last: index - 1)
                    }
                    arguments.append(argument)
                }
                start = index + 1
                index += 1
            } else if let partnerIndex = partner[index], partnerIndex > index {
                index = partnerIndex + 1
            } else {
                index += 1
            }
        }
        return arguments
    }

    /// The text from the start of token `first` to the end of token `last`.
    func text(_ first: Int, _ last: Int) -> String { source.text(tokens[first].start, tokens[last].end) }

    /// True when the tokens `first…last` need brackets to stand where a single operand stood
    /// (they hold an operator or a keyword outside brackets).
    func needsBrackets(_ first: Int, _ last: Int) -> Bool {
        var index = first
        while index <= last {
            let token = tokens[index]
            if token.kind == .symbol || (token.kind == .word && Self.keywords.contains(token.text)) { return true }
            if let partnerIndex = partner[index], partnerIndex > index { index = partnerIndex + 1 } else { index += 1 }
        }
        return false
    }

    /// The tokens no mutant touches: `import` lines, argument validation (`guard … else { throw … }`,
    /// and any `if`/`for` whose body only throws), the expression of every `throw` and every
    /// `catch` clause.
    func untouchable() -> Set<Int> {
        var excluded = Set<Int>()
        for (index, token) in tokens.enumerated() where token.kind == .word {
            if token.text == "import" {
                var next = index
                while next < tokens.count && tokens[next].line == token.line { excluded.insert(next); next += 1 }
            }
            if token.text == "catch" {
                // Error handling: what a `catch` does on the way out of a failure.
                var open = index + 1
                while open < tokens.count && tokens[open].text != "{" { open += 1 }
                if open < tokens.count, let close = partner[open] { excluded.formUnion(index...close) }
                continue
            }
            guard token.text == "throw" else { continue }
            excluded.formUnion(index...(operandEnd(from: index + 1, rank: -3) ?? index))
            // A block that does nothing but throw: its whole statement, condition included.
            guard index > 0, tokens[index - 1].text == "{", let close = partner[index - 1] else { continue }
            var start = index - 1
            var depth = 0
            search: while start > 0 {
                start -= 1
                let text = tokens[start].text
                if tokens[start].kind == .punctuation {
                    // The end of the statement before, or the start of the enclosing block.
                    if (depth == 0 && text == "}") || (depth == 0 && ["(", "[", "{"].contains(text)) { start += 1; break search }
                    if [")", "]", "}"].contains(text) { depth += 1 } else if ["(", "[", "{"].contains(text) { depth -= 1 }
                }
                if depth == 0 && tokens[start].kind == .word && ["guard", "if", "for", "while"].contains(text) { break search }
            }
            excluded.formUnion(start...close)
        }
        return excluded
    }
}
