import Foundation

/// Typesets a small TeX-like language as MathML, which Chromium and Firefox draw without any
/// network or script.
///
/// The subset: letters (italic identifiers), numbers, operators `+ - = < > ( ) [ ] , ; : / | !`,
/// groups `{...}`, scripts `x^{2}`, `x_i`, primes `f''`, `\frac{a}{b}`, `\sqrt{x}`,
/// `\text{words}`, `\mathrm{d}`, `\mathcal{L}`, `\mathbb{E}`, accents `\hat \tilde \bar`,
/// Greek letters, function names (`\sin`, `\cos`, `\exp`, `\log`, `\min`, `\max`), big operators
/// (`\sum`, `\prod`) and the symbols in `symbols`. Anything else is an error naming it.
public enum MathRenderer {
    /// The MathML of `formula`, displayed on its own line (`display`) or inline in text.
    public static func mathML(_ formula: String, display: Bool) throws -> String {
        var parser = MathParser(formula: formula, display: display)
        let body = try parser.parseSequence(closing: nil)
        let mode = display ? " display=\"block\"" : ""
        return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"\(mode)><semantics><mrow>\(body.joined())</mrow>"
            + "<annotation encoding=\"application/x-tex\">\(HTMLText.escape(formula))</annotation></semantics></math>"
    }

    /// `formula` as plain Unicode text for the terminal: `θ₁ = θ₀ − α∇L(θ₀)`, fractions as `(a)/(b)`.
    public static func plainText(_ formula: String) throws -> String {
        var parser = MathParser(formula: formula, display: false, plain: true)
        let text = try parser.parseSequence(closing: nil).joined()
        return text.replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// Greek letters by name.
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "varphi": "φ", "eta": "η",
        "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
        "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ",
        "Omega": "Ω",
    ]

    /// Operator symbols by name.
    static let symbols: [String: String] = [
        "cdot": "·", "times": "×", "approx": "≈", "leftarrow": "←", "rightarrow": "→", "to": "→", "le": "≤",
        "ge": "≥", "ne": "≠", "nabla": "∇", "partial": "∂", "odot": "⊙", "infty": "∞", "in": "∈", "sim": "∼",
        "ldots": "…", "cdots": "⋯", "pm": "±", "mid": "∣", "circ": "∘", "equiv": "≡", "triangleq": "≜",
        "top": "⊤", "propto": "∝", "gg": "≫", "ll": "≪", "mapsto": "↦", "Vert": "‖",
    ]

    /// Names set upright as functions.
    static let functions: Set<String> = ["sin", "cos", "tan", "exp", "log", "min", "max", "arg", "det", "tr"]

    /// Big operators whose limits go above and below in display mode.
    static let bigOperators: [String: String] = ["sum": "∑", "prod": "∏"]

    /// Accents by name.
    static let accents: [String: String] = ["hat": "^", "tilde": "~", "bar": "¯"]

    /// Combining characters that stand for the accents in plain text.
    static let combiningAccents: [String: String] = ["hat": "\u{0302}", "tilde": "\u{0303}", "bar": "\u{0304}"]

    /// Operators written with a space on each side in plain text.
    static let spacedOperators: Set<String> = ["=", "<", ">", "≈", "≤", "≥", "→", "←", "≜", "≡", "+", "−", "≠", "↦", "∼", "∈"]

    /// Spaces by name, in em.
    static let spaces: [String: String] = [",": "0.1667em", ";": "0.2778em", "quad": "1em", "qquad": "2em"]
}

/// A recursive-descent reader of the subset, producing MathML element strings.
struct MathParser {
    let formula: String
    let display: Bool
    /// Whether to produce plain Unicode text instead of MathML.
    let plain: Bool
    private let characters: [Character]
    private var position = 0

    init(formula: String, display: Bool, plain: Bool = false) {
        self.formula = formula
        self.display = display
        self.plain = plain
        characters = Array(formula)
    }

    private func fail(_ problem: String) -> PageError { PageError.badMath(formula: formula, problem: problem) }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    /// Atoms with their scripts until `closing` (or the end when nil).
    mutating func parseSequence(closing: Character?) throws -> [String] {
        var nodes: [String] = []
        while true {
            skipSpaces()
            guard position < characters.count else {
                if let closing { throw fail("a '{' is never closed by '\(closing)'") }
                return nodes
            }
            if characters[position] == closing {
                position += 1
                return nodes
            }
            if characters[position] == "}" { throw fail("a '}' closes nothing") }
            var atom = try parseAtom()
            if isSign(atom.markup, after: nodes.last) {
                // A sign, not a binary operator: no space in plain text, prefix spacing in MathML.
                atom.markup = plain ? atom.markup.trimmingCharacters(in: .whitespaces)
                    : atom.markup.replacingOccurrences(of: "<mo>", with: "<mo form=\"prefix\">")
            }
            let scripted = try parseScripts(base: atom.markup, isBigOperator: atom.isBigOperator)
            nodes.append(plain && atom.isBigOperator ? scripted + " " : scripted)
        }
    }

    /// One required argument: a `{group}` or a single atom.
    private mutating func parseArgument(of command: String) throws -> String {
        skipSpaces()
        guard position < characters.count else { throw fail("\\\(command) needs an argument") }
        if characters[position] == "{" {
            position += 1
            return group(try parseSequence(closing: "}"))
        }
        return try parseAtom().markup
    }

    /// The raw text of a `{...}` argument (for `\text` and alphabets).
    private mutating func parseRawArgument(of command: String) throws -> String {
        skipSpaces()
        guard position < characters.count, characters[position] == "{" else { throw fail("\\\(command) needs a {...} argument") }
        position += 1
        var text = ""
        while position < characters.count, characters[position] != "}" {
            text.append(characters[position])
            position += 1
        }
        guard position < characters.count else { throw fail("the argument of \\\(command) is never closed") }
        position += 1
        return text
    }

    /// Whether a `−` or `+` atom is a sign: first in its group or after an opening bracket,
    /// a comma or a relation.
    private func isSign(_ markup: String, after previous: String?) -> Bool {
        let operators = plain ? [" − ", " + "] : ["<mo>−</mo>", "<mo>+</mo>"]
        guard operators.contains(markup) else { return false }
        guard let previous else { return true }
        if plain { return previous.hasSuffix(" ") || previous.hasSuffix("(") || previous.hasSuffix("[") }
        return ["(", "[", ",", "=", "≈", "≤", "≥", "→", "←"].contains { previous.hasSuffix("<mo>\($0)</mo>") }
    }

    /// An element holding text: `<tag>text</tag>` escaped, or in plain text the text itself
    /// (relations and binary operators spaced).
    private func leaf(_ tag: String, _ text: String, attributes: String = "") -> String {
        guard plain else { return "<\(tag)\(attributes)>\(HTMLText.escape(text))</\(tag)>" }
        if tag == "mo" && text == "," { return ", " }
        return tag == "mo" && MathRenderer.spacedOperators.contains(text) ? " \(text) " : text
    }

    /// `(text)` unless `text` is a single character.
    private func parenthesized(_ text: String) -> String {
        text.count <= 1 ? text : "(\(text))"
    }

    /// A `{...}` group: an `mrow`, or in plain text the pieces joined.
    private func group(_ nodes: [String]) -> String {
        plain ? nodes.joined() : "<mrow>" + nodes.joined() + "</mrow>"
    }

    /// A script in plain text: Unicode super- or subscript characters when every character has
    /// one, else `^(...)` / `_(...)`.
    private func plainScript(_ text: String, superscript: Bool) -> String {
        let normal = Array("0123456789+-−=()ni")
        let raised = Array("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
        let lowered = Array("₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₙᵢ")
        let table = superscript ? raised : lowered
        let mapped = text.map { c in normal.firstIndex(of: c).map { table[$0] } }
        if !text.isEmpty, mapped.allSatisfy({ $0 != nil }) { return String(mapped.map { $0! }) }
        if superscript, text.allSatisfy({ $0 == "′" }) { return text }
        return (superscript ? "^" : "_") + (text.count == 1 ? text : "(\(text))")
    }

    /// A superscript and/or subscript (and primes) after `base`.
    private mutating func parseScripts(base: String, isBigOperator: Bool) throws -> String {
        var superscript: String? = nil, subscriptMarkup: String? = nil
        var primes = ""
        while position < characters.count {
            let c = characters[position]
            if c == "'" {
                primes.append("′")
                position += 1
            } else if c == "^" || c == "_" {
                position += 1
                let argument = try parseArgument(of: String(c))
                if c == "^" {
                    guard superscript == nil else { throw fail("two superscripts on one symbol") }
                    superscript = argument
                } else {
                    guard subscriptMarkup == nil else { throw fail("two subscripts on one symbol") }
                    subscriptMarkup = argument
                }
            } else {
                break
            }
        }
        if plain {
            return base + (subscriptMarkup.map { plainScript($0, superscript: false) } ?? "") + primes
                + (superscript.map { plainScript($0, superscript: true) } ?? "")
        }
        var base = base
        if !primes.isEmpty {
            // Prime glyphs are already raised: they follow the base instead of becoming a superscript.
            base = "<mrow>\(base)<mo lspace=\"0\" rspace=\"0\">\(primes)</mo></mrow>"
        }
        let under = isBigOperator && display
        switch (superscript, subscriptMarkup) {
        case (nil, nil): return base
        case (let sup?, nil): return under ? "<mover>\(base)\(sup)</mover>" : "<msup>\(base)\(sup)</msup>"
        case (nil, let sub?): return under ? "<munder>\(base)\(sub)</munder>" : "<msub>\(base)\(sub)</msub>"
        case (let sup?, let sub?):
            return under ? "<munderover>\(base)\(sub)\(sup)</munderover>" : "<msubsup>\(base)\(sub)\(sup)</msubsup>"
        }
    }

    /// A number, letter, operator, group or command.
    private mutating func parseAtom() throws -> (markup: String, isBigOperator: Bool) {
        let c = characters[position]
        if c == "{" {
            position += 1
            return (group(try parseSequence(closing: "}")), false)
        }
        if c == "\\" { return try parseCommand() }
        position += 1
        if c.isNumber || (c == "." && position < characters.count && characters[position].isNumber) {
            var number = String(c)
            while position < characters.count, characters[position].isNumber || characters[position] == "." {
                number.append(characters[position])
                position += 1
            }
            return (leaf("mn", number), false)
        }
        if c.isLetter { return (leaf("mi", String(c)), false) }
        switch c {
        case "-": return (leaf("mo", "−"), false)
        case "+", "=", "<", ">", "(", ")", "[", "]", ",", ";", ":", "/", "|", "!", "*", "·", "≈", "∇", "⊙", "→", "←", "′":
            return (leaf("mo", c == "*" ? "∗" : String(c)), false)
        case "^", "_", "'": throw fail("'\(c)' has nothing to attach to")
        case "&": throw fail("'&' (alignment) is not supported; write one formula per line")
        default:
            if c.unicodeScalars.first.map({ $0.value > 0x7F }) == true {
                return (leaf("mi", String(c)), false)
            }
            throw fail("the character '\(c)' is not supported")
        }
    }

    /// A `\name` command (or an escaped symbol such as `\{`).
    private mutating func parseCommand() throws -> (markup: String, isBigOperator: Bool) {
        position += 1
        guard position < characters.count else { throw fail("the formula ends with a lone '\\'") }
        var name = ""
        if characters[position].isLetter {
            while position < characters.count, characters[position].isLetter {
                name.append(characters[position])
                position += 1
            }
        } else {
            name = String(characters[position])
            position += 1
        }
        if let letter = MathRenderer.greek[name] { return (leaf("mi", letter), false) }
        if let symbol = MathRenderer.symbols[name] { return (leaf("mo", symbol), false) }
        if let space = MathRenderer.spaces[name] { return (plain ? " " : "<mspace width=\"\(space)\"/>", false) }
        if MathRenderer.functions.contains(name) {
            // min and max take their subscript underneath in displayed formulas, like big operators.
            return (plain ? " " + name : "<mrow><mspace width=\"0.1667em\"/><mi>\(name)</mi></mrow>", name == "min" || name == "max")
        }
        if let big = MathRenderer.bigOperators[name] { return (plain ? big : "<mo largeop=\"true\" movablelimits=\"true\">\(big)</mo>", true) }
        if let accent = MathRenderer.accents[name] {
            let base = try parseArgument(of: name)
            if plain { return (base + (MathRenderer.combiningAccents[name] ?? ""), false) }
            return ("<mover accent=\"true\">\(base)<mo>\(accent)</mo></mover>", false)
        }
        switch name {
        case "{", "}": return (leaf("mo", name), false)
        case "frac":
            let numerator = try parseArgument(of: name)
            let denominator = try parseArgument(of: name)
            if plain { return ("\(parenthesized(numerator))/\(parenthesized(denominator))", false) }
            return ("<mfrac>\(numerator)\(denominator)</mfrac>", false)
        case "sqrt":
            let radicand = try parseArgument(of: name)
            return (plain ? "√" + parenthesized(radicand) : "<msqrt>\(radicand)</msqrt>", false)
        case "text": return (leaf("mtext", try parseRawArgument(of: name)), false)
        case "mathrm", "operatorname":
            return (leaf("mi", try parseRawArgument(of: name), attributes: " mathvariant=\"normal\""), false)
        case "mathcal", "mathbb":
            let letters = try parseRawArgument(of: name)
            let mapped = try letters.map { try alphabetLetter($0, alphabet: name) }.joined()
            return (leaf("mi", mapped), false)
        case "left", "right":
            skipSpaces()
            guard position < characters.count else { throw fail("\\\(name) needs a delimiter") }
            let delimiter = characters[position]
            position += 1
            if delimiter == "." { return ("", false) }
            return (leaf("mo", delimiter == "\\" ? "|" : String(delimiter), attributes: " stretchy=\"true\""), false)
        default:
            throw fail("unknown command \\\(name)")
        }
    }

    /// A capital letter in the script (`mathcal`) or double-struck (`mathbb`) alphabet.
    private func alphabetLetter(_ letter: Character, alphabet: String) throws -> String {
        guard let ascii = letter.asciiValue, (65...90).contains(ascii) else {
            throw fail("\\\(alphabet) takes capital letters A-Z only, got '\(letter)'")
        }
        // Letters that Unicode placed in the Letterlike Symbols block instead of the math alphabets.
        let script: [Character: String] = ["B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"]
        let doubleStruck: [Character: String] = ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"]
        let exceptions = alphabet == "mathcal" ? script : doubleStruck
        if let special = exceptions[letter] { return special }
        let start: UInt32 = alphabet == "mathcal" ? 0x1D49C : 0x1D538
        return String(Character(Unicode.Scalar(start + UInt32(ascii - 65))!))
    }
}
