import Foundation

/// Makes every operator mutant of one Swift file (`MutationOperator`), in code only: comments,
/// documentation and string literals are never touched, and neither are `import` lines,
/// argument validation (a `guard … else { throw … }`, or an `if`/`for` whose body only throws),
/// the errors thrown and what a `catch` clause does. Validation is left out because the handouts give no points for
/// rejecting bad arguments: the hidden tests grade the mathematics on valid inputs, so every
/// mutant of a check (or of the way out of a failure) would survive by design. Lines the stub hands out as they are (`handedOut`:
/// a settings type's initializer with its default values, say) are left out too: the student
/// does not write them. So is exchanging the arguments of `min` and `max`, which changes
/// nothing. Mutants that produce the same file are kept once.
public enum MutantGenerator {
    /// The mutants of the reference files of `exercise` in the course at `repository` (the
    /// top-level `.swift` files of `Solutions/<E>`, in name order), leaving out the lines their
    /// stubs in `Exercises/<E>` hand out.
    public static func mutants(of exercise: String, repository: URL) throws -> [Mutant] {
        let folder = repository.appendingPathComponent("Solutions/\(exercise)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try files.flatMap { file -> [Mutant] in
            let stub = (try? String(contentsOf: repository.appendingPathComponent("Exercises/\(exercise)/\(file)"), encoding: .utf8)) ?? ""
            let handedOut = Set(stub.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            return mutants(of: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), file: file, exercise: exercise,
                           handedOut: handedOut)
        }
    }

    /// The mutants of `text`, the file `file` of `exercise`, in text order; none starts on a
    /// line whose trimmed text is in `handedOut`.
    public static func mutants(of text: String, file: String, exercise: String, handedOut: Set<String> = []) -> [Mutant] {
        let source = MutationSource(text)
        let syntax = MutationSyntax(source)
        let excluded = syntax.untouchable()
        var edits: [Edit] = []
        for index in source.tokens.indices where !excluded.contains(index) {
            edits += operatorEdits(syntax, index) + constantEdits(syntax, index) + rangeEdits(syntax, index) + callEdits(syntax, index)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        var mutants: [Mutant] = []
        for edit in edits.sorted(by: { ($0.start, $0.end, $0.replacement) < ($1.start, $1.end, $1.replacement) }) {
            guard edit.start < edit.end || !edit.replacement.isEmpty else { continue }
            let mutant = make(edit, source: source, lines: lines, file: file, exercise: exercise)
            guard !handedOut.contains(lines[mutant.line - 1]) else { continue }
            guard mutant.original != mutant.mutated, seen.insert(mutant.apply(to: source)).inserted else { continue }
            mutants.append(mutant)
        }
        return mutants
    }

    /// One replacement of the text, before it is described.
    struct Edit {
        var mutation: MutationOperator
        var start: Int, end: Int
        var replacement: String
        var change: String
    }

    /// The mutant of one edit: the lines it touches, before and after, and its id.
    static func make(_ edit: Edit, source: MutationSource, lines: [String], file: String, exercise: String) -> Mutant {
        let scalars = source.scalars
        var lineStart = edit.start
        while lineStart > 0 && scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var lineEnd = max(edit.end, edit.start)
        while lineEnd < scalars.count && scalars[lineEnd] != "\n" { lineEnd += 1 }
        let firstLine = scalars[0..<lineStart].filter { $0 == "\n" }.count + 1
        let trim = { (text: String) in
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        }
        let original = trim(source.text(lineStart, lineEnd))
        let mutated = trim(source.text(lineStart, edit.start) + edit.replacement + source.text(edit.end, lineEnd))
        // Which occurrence of these lines in the file this is, so identical lines get different ids.
        let block = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let occurrence = (0..<max(0, firstLine - 1)).filter { start in
            start + block.count <= lines.count && Array(lines[start..<start + block.count]) == block
        }.count
        return Mutant(exercise: exercise, file: file, line: firstLine, mutation: edit.mutation, change: edit.change,
                      original: original, mutated: mutated,
                      id: Mutant.id(exercise: exercise, file: file, original: original, occurrence: occurrence, mutated: mutated),
                      start: edit.start, end: edit.end, replacement: edit.replacement)
    }

    static let swaps: [String: (String, MutationOperator)] = [
        "+": ("-", .arithmetic), "-": ("+", .arithmetic), "*": ("/", .arithmetic), "/": ("*", .arithmetic),
        "+=": ("-=", .arithmetic), "-=": ("+=", .arithmetic), "*=": ("/=", .arithmetic), "/=": ("*=", .arithmetic),
        "<": ("<=", .comparison), "<=": ("<", .comparison), ">": (">=", .comparison), ">=": (">", .comparison),
        "==": ("!=", .comparison), "!=": ("==", .comparison), "&&": ("||", .logical), "||": ("&&", .logical),
    ]

    /// Swaps of an operator, a dropped sign, and the terms of a sum or product left out.
    static func operatorEdits(_ syntax: MutationSyntax, _ index: Int) -> [Edit] {
        let tokens = syntax.tokens, token = tokens[index]
        guard token.kind == .symbol else { return [] }
        var edits: [Edit] = []
        if syntax.isPrefix(index) {
            if token.text == "-" || token.text == "!" {
                edits.append(Edit(mutation: .sign, start: token.start, end: token.end, replacement: "", change: "prefix `\(token.text)` dropped"))
            }
            return edits
        }
        guard syntax.isSpacedBinary(index) || syntax.isOperatorReference(index), let (other, mutation) = swaps[token.text] else { return [] }
        edits.append(Edit(mutation: mutation, start: token.start, end: token.end, replacement: other, change: "`\(token.text)` → `\(other)`"))
        guard syntax.isSpacedBinary(index), let rank = MutationSyntax.rank(token.text), rank >= 6, index > 0, index + 1 < tokens.count,
              let rightEnd = syntax.operandEnd(from: index + 1, rank: rank),
              let leftStart = syntax.operandStart(from: index - 1, rank: rank) else { return edits }
        // `a + b` → `a` (and `a * b` → `a`): the operator and the term after it go.
        edits.append(Edit(mutation: .droppedTerm, start: tokens[index - 1].end, end: tokens[rightEnd].end, replacement: "",
                          change: "`\(token.text) \(syntax.text(index + 1, rightEnd))` dropped"))
        if token.text == "+" || token.text == "*" {
            // `a + b` → `b`: the term before it and the operator go.
            edits.append(Edit(mutation: .droppedTerm, start: tokens[leftStart].start, end: tokens[index + 1].start, replacement: "",
                              change: "`\(syntax.text(leftStart, index - 1)) \(token.text)` dropped"))
        }
        return edits
    }

    /// `0` ↔ `1`, another integer plus one, a float literal doubled (0.0 becomes 1.0).
    static func constantEdits(_ syntax: MutationSyntax, _ index: Int) -> [Edit] {
        let token = syntax.tokens[index]
        guard case .number(let isFloat) = token.kind else { return [] }
        // A tuple index (`$1.0`) is not a constant.
        if index > 0, syntax.tokens[index - 1].text == ".", syntax.tokens[index - 1].end == token.start { return [] }
        let digits = token.text.replacingOccurrences(of: "_", with: "")
        let replacement: String
        if isFloat {
            guard let value = Double(digits) else { return [] }
            replacement = value == 0 ? "1.0" : "\(value * 2)"
        } else {
            guard let value = Int(digits) else { return [] }
            replacement = value == 0 ? "1" : value == 1 ? "0" : "\(value + 1)"
        }
        return [Edit(mutation: .constant, start: token.start, end: token.end, replacement: replacement, change: "`\(token.text)` → `\(replacement)`")]
    }

    /// `..<` ↔ `...`, and the range's upper bound one less or one more.
    static func rangeEdits(_ syntax: MutationSyntax, _ index: Int) -> [Edit] {
        let tokens = syntax.tokens, token = tokens[index]
        guard token.kind == .symbol, token.text == "..<" || token.text == "...", index + 1 < tokens.count else { return [] }
        let other = token.text == "..<" ? "..." : "..<"
        var edits = [Edit(mutation: .rangeBound, start: token.start, end: token.end, replacement: other, change: "`\(token.text)` → `\(other)`")]
        if let upperEnd = syntax.operandEnd(from: index + 1, rank: 5) {
            let bound = syntax.text(index + 1, upperEnd)
            for change in [" - 1", " + 1"] {
                edits.append(Edit(mutation: .rangeBound, start: tokens[upperEnd].end, end: tokens[upperEnd].end, replacement: change,
                                  change: "upper bound `\(bound)` → `\(bound)\(change)`"))
            }
        }
        return edits
    }

    /// Two neighbouring arguments of a call exchanged (their labels stay); a call replaced by one
    /// of its arguments (by any of them, except a type's initializer with several arguments,
    /// which its arguments can hardly stand in for); a method call without arguments replaced by
    /// its receiver.
    static func callEdits(_ syntax: MutationSyntax, _ index: Int) -> [Edit] {
        let tokens = syntax.tokens
        guard tokens[index].text == "(", tokens[index].kind == .punctuation, let arguments = syntax.callArguments(at: index),
              let close = syntax.partner[index] else { return [] }
        let callee = tokens[index - 1]
        let trailingClosure = close + 1 < tokens.count && tokens[close + 1].text == "{"
        var edits: [Edit] = []
        if arguments.isEmpty {
            // `x.detached()` → `x`.
            guard index >= 3, callee.kind == .word, tokens[index - 2].text == ".", !trailingClosure,
                  syntax.postfixStart(endingAt: index - 3) != nil else { return [] }
            return [Edit(mutation: .callToArgument, start: tokens[index - 2].start, end: tokens[close].end, replacement: "",
                         change: "`.\(callee.text)()` dropped")]
        }
        // `f(x)` → `x`, `grad(cost)(p)` → `p`, `step(cost, p, η)` → `p`.
        let isInitializer = callee.kind == .word && callee.text.first?.isUppercase == true
        if !trailingClosure, !(isInitializer && arguments.count > 1), let start = syntax.postfixStart(endingAt: index - 1) {
            // An inout argument (`&x`), a key path (`\\.a`), an operator (`+`) or a closure cannot stand alone.
            for argument in arguments where !["&", "\\", "+", "-", "*", "/", "{"].contains(tokens[argument.first].text) {
                var value = syntax.text(argument.first, argument.last)
                if syntax.needsBrackets(argument.first, argument.last) { value = "(\(value))" }
                edits.append(Edit(mutation: .callToArgument, start: tokens[start].start, end: tokens[close].end, replacement: value,
                                  change: "`\(syntax.text(start, close))` → `\(value)`"))
            }
        }
        guard !(callee.kind == .word && MutationSyntax.symmetricFunctions.contains(callee.text)) else { return edits }
        for (first, second) in zip(arguments, arguments.dropFirst()) {
            let (firstValue, secondValue) = (syntax.text(first.first, first.last), syntax.text(second.first, second.last))
            guard firstValue != secondValue, !syntax.isOperatorReference(first.first), !syntax.isOperatorReference(second.first) else { continue }
            // The values trade places; whatever stands between them (a comma, the second label) stays.
            let between = syntax.source.text(tokens[first.last].end, tokens[second.first].start)
            edits.append(Edit(mutation: .swappedArguments, start: tokens[first.first].start, end: tokens[second.last].end,
                              replacement: secondValue + between + firstValue, change: "arguments `\(firstValue)` and `\(secondValue)` exchanged"))
        }
        return edits
    }
}
