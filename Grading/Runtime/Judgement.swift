import Autodiff

/// The checks of one part and which failed, built by a judge: each check is a sentence saying
/// what must hold, and a failed one keeps the inputs it was made on and the expected and actual
/// values, shortened for people.
public struct Judgement: Sendable {
    /// What the inputs of the checks made from now on are, in words ("η = 0.23, θ = …"); a judge
    /// that checks several cases sets it before each case's checks.
    public var inputs: String
    /// The failed checks, in the order they were made.
    public private(set) var failures: [Failure] = []
    /// How many checks were made.
    public private(set) var checkCount = 0
    /// Numbers the judge measured while deciding (a re-evaluated accuracy, say), by name: they
    /// decide nothing, and reach the results as measurements (a leaderboard's values).
    public private(set) var measurements: [String: Double] = [:]

    /// A judgement about a run on the inputs described by `inputs`.
    public init(inputs: String = "") { self.inputs = inputs }

    /// Records that `statement` holds when `passed` is true (with `expected` and `actual` shown when it does not).
    public mutating func require(_ passed: Bool, _ statement: String, expected: String? = nil, actual: String? = nil) {
        checkCount += 1
        if !passed { failures.append(Failure(statement: statement, inputs: inputs.isEmpty ? nil : inputs, expected: expected, actual: actual)) }
    }

    /// Requires `actual` to be within `tolerance` · max(1, |expected|) of `expected`.
    public mutating func close(_ actual: Double, _ expected: Double, within tolerance: Double, _ statement: String) {
        require(Self.isClose(actual, expected, tolerance), statement, expected: Rendering.number(expected), actual: Rendering.number(actual))
    }

    /// Requires equal counts and every number within `tolerance` (relative, as for one number).
    public mutating func close(_ actual: [Double], _ expected: [Double], within tolerance: Double, _ statement: String) {
        let passed = actual.count == expected.count && zip(actual, expected).allSatisfy { Self.isClose($0, $1, tolerance) }
        require(passed, statement, expected: Rendering.numbers(expected),
                actual: Rendering.numbers(actual) + Rendering.largestDifference(actual, expected))
    }

    /// Requires the same shape and every element within `tolerance`.
    public mutating func close(_ actual: Tensor, _ expected: Tensor, within tolerance: Double, _ statement: String) {
        let passed = actual.shape == expected.shape && zip(actual.scalars, expected.scalars).allSatisfy { Self.isClose($0, $1, tolerance) }
        let difference = actual.shape == expected.shape ? Rendering.largestDifference(actual.scalars, expected.scalars) : ""
        require(passed, statement, expected: Rendering.tensor(expected), actual: Rendering.tensor(actual) + difference)
    }

    /// Requires the same names in the same order, the same shapes, and every element within
    /// `tolerance`; a failure shows the first tensor that differs.
    public mutating func close(_ actual: Parameters, _ expected: Parameters, within tolerance: Double, _ statement: String) {
        guard actual.names == expected.names else {
            require(false, statement, expected: "tensors named \(expected.names)", actual: "tensors named \(actual.names)")
            return
        }
        for (name, want) in expected {
            let got = actual.require(name)
            guard got.shape == want.shape && zip(got.scalars, want.scalars).allSatisfy({ Self.isClose($0, $1, tolerance) }) else {
                let difference = got.shape == want.shape ? Rendering.largestDifference(got.scalars, want.scalars) : ""
                require(false, statement, expected: "\(name) = \(Rendering.tensor(want))", actual: "\(name) = \(Rendering.tensor(got))\(difference)")
                return
            }
        }
        require(true, statement)
    }

    /// Requires two lists of whole numbers to be equal.
    public mutating func same(_ actual: [Int], _ expected: [Int], _ statement: String) {
        require(actual == expected, statement, expected: "\(expected)", actual: "\(actual)")
    }

    /// Records the number `value` measured under `name` (the last one recorded under a name wins).
    public mutating func measure(_ name: String, _ value: Double) {
        measurements[name] = value
    }

    /// The verdict: passed when no check failed (and at least one was made).
    public var verdict: Verdict {
        Verdict(passed: failures.isEmpty && checkCount > 0, checks: checkCount, failures: failures,
                measurements: measurements.isEmpty ? nil : measurements)
    }

    /// |a − e| ≤ tolerance · max(1, |e|), with equal non-finite values counting as close.
    public static func isClose(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
        if actual == expected { return true }
        guard actual.isFinite, expected.isFinite else { return actual.isNaN && expected.isNaN }
        return abs(actual - expected) <= tolerance * max(1, abs(expected))
    }
}

/// A check that did not hold.
public struct Failure: Codable, Sendable, Equatable {
    /// What must hold, as a sentence.
    public var statement: String
    /// The inputs it was checked on, in words.
    public var inputs: String?
    /// The value it should have been, shortened.
    public var expected: String?
    /// The value the student's code gave, shortened.
    public var actual: String?
}

/// What a judge decided about one part: printed by `<E>Judge judge` and read by the grader.
public struct Verdict: Codable, Sendable, Equatable {
    /// True when every check held.
    public var passed: Bool
    /// How many checks were made.
    public var checks: Int
    /// The checks that failed.
    public var failures: [Failure]
    /// Numbers measured while deciding, by name; absent when none were.
    public var measurements: [String: Double]? = nil
}
