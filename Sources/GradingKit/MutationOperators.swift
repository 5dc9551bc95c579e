/// The kinds of mistake mutation testing makes in a reference file.
public enum MutationOperator: String, CaseIterable, Sendable, Codable {
    /// `+` ↔ `-`, `*` ↔ `/` (binary, compound assignment or passed as a function).
    case arithmetic
    /// A prefix `-` or `!` dropped.
    case sign
    /// `<` ↔ `<=`, `>` ↔ `>=`, `==` ↔ `!=`.
    case comparison
    /// `&&` ↔ `||`.
    case logical
    /// Two neighbouring arguments of a call exchanged (labels stay where they are).
    case swappedArguments = "swapped arguments"
    /// `..<` ↔ `...`, or the upper bound of a range one more or one less.
    case rangeBound = "range bound"
    /// One term of a sum or one factor of a product left out (`a + b` → `a`).
    case droppedTerm = "dropped term"
    /// `0` ↔ `1`, another integer plus one, a float literal doubled.
    case constant
    /// A call replaced by one of its arguments (`f(x)` → `x`), or a method call without arguments by its receiver (`x.detached()` → `x`).
    case callToArgument = "call to argument"
}

/// One mutant: a single small change to one file of an exercise's reference, with an id that
/// stays the same from run to run (and through edits elsewhere in the file).
public struct Mutant: Sendable, Equatable {
    /// The exercise.
    public var exercise: String
    /// The file, relative to the exercise's folder (`GDStep.swift`).
    public var file: String
    /// The line the change starts on (1-based).
    public var line: Int
    /// The kind of mistake.
    public var mutation: MutationOperator
    /// The change in a few words (`` `-` → `+` ``).
    public var change: String
    /// The line or lines as in the reference, trimmed.
    public var original: String
    /// The same lines in the mutant, trimmed.
    public var mutated: String
    /// The stable id: a hash of the exercise, the file, the original lines (and which occurrence
    /// of them in the file) and the mutated lines.
    public var id: String
    /// Offsets (Unicode scalars) of the replaced stretch of the file.
    public var start: Int, end: Int
    /// What replaces it.
    public var replacement: String

    /// The mutated text of the file whose tokens were `source`.
    public func apply(to source: MutationSource) -> String {
        source.text(0, start) + replacement + source.text(end, source.scalars.count)
    }

    /// The id of a change from `original` to `mutated` lines, the `occurrence`-th such block of `file` (from 0).
    static func id(exercise: String, file: String, original: String, occurrence: Int, mutated: String) -> String {
        let hash = Fingerprints.hash([exercise, file, original, String(occurrence), mutated])
        let digits = String(hash >> 16, radix: 16)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
