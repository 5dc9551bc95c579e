import Notebook

/// A known-answer check of one graded function: the function runs on a tiny input whose right
/// result is known in closed form, before a section trusts it with real work.
struct SanityCheck {
    /// The exercise's module, as in `Exercises/<exercise>` ("GDStep").
    let exercise: String
    /// The function as the handout names it ("gdStep").
    let function: String
    /// Runs the function on the tiny input: nil when it gives the known result, otherwise what
    /// it gave and what was expected, in one sentence. Errors the function throws pass through.
    let run: () throws -> String?

    /// A check of `function` from `exercise`.
    init(_ exercise: String, _ function: String, run: @escaping () throws -> String?) {
        self.exercise = exercise
        self.function = function
        self.run = run
    }

    /// "exercise.function", the key under which a chapter remembers the verdict.
    var key: String { "\(exercise).\(function)" }
}

/// A result of a student's function that a section cannot use (NaN, a path of the wrong
/// length), in one sentence.
struct UnusableResult: Error, CustomStringConvertible {
    /// What is wrong with the result.
    let description: String
}

/// `value`, or an `UnusableResult` naming `what` when it is NaN or infinite.
func finite(_ value: Double, _ what: @autoclosure () -> String) throws -> Double {
    guard value.isFinite else { throw UnusableResult(description: "\(what()) is \(value)") }
    return value
}

/// "0.5", "−1.25", "0.0134782", "10⁻⁸": a number in a check's message or a page's text, with at
/// most 6 significant digits, enough to compare with the expected value.
func shown(_ value: Double) -> String {
    NumberText.short(value, digits: 6)
}

/// "(0.5, −1)": several numbers of a check's message.
func shown(_ values: [Double]) -> String {
    "(" + values.map { shown($0) }.joined(separator: ", ") + ")"
}

/// Whether `a` and `b` agree to `tolerance`, relative to their size once it exceeds 1.
func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// Whether two lists agree entry by entry (see `close`) and have the same length.
func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance: tolerance) }
}
