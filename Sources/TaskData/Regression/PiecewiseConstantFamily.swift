import Autodiff

/// Random step functions on [-3, 3] with breaks at the integers (the first homework's toy data).
///
/// A task draws one height per unit interval [k, k + 1), k = -3...2, uniformly from `valueRange`;
/// inputs are uniform on [-3, 3]; an observation is y = f(x) + noise, noise ~ N(0, noiseStandardDeviation^2).
/// The handout fixes the input interval and the integer breaks but does not print the heights'
/// range; [-3, 3] (the same span as the inputs) is our default, and it is a parameter.
public struct PiecewiseConstantFamily: TaskFamily {
    /// The first break; the pieces are [firstBreak + i, firstBreak + i + 1).
    public let firstBreak: Int
    /// The number of unit-length pieces.
    public let pieceCount: Int
    /// The interval each piece's height is drawn from (uniformly).
    public let valueRange: ClosedRange<Double>
    /// Standard deviation of Gaussian noise added to each observation (0: exact values).
    public let noiseStandardDeviation: Double

    /// A family of step functions over [firstBreak, firstBreak + pieceCount].
    public init(firstBreak: Int = -3, pieceCount: Int = 6, valueRange: ClosedRange<Double> = -3...3,
                noiseStandardDeviation: Double = 0) {
        check(pieceCount > 0, "PiecewiseConstantFamily: pieceCount must be positive, got \(pieceCount)")
        check(noiseStandardDeviation >= 0, "PiecewiseConstantFamily: noise must be non-negative")
        self.firstBreak = firstBreak
        self.pieceCount = pieceCount
        self.valueRange = valueRange
        self.noiseStandardDeviation = noiseStandardDeviation
    }

    /// x ~ U[firstBreak, firstBreak + pieceCount].
    public var inputRange: ClosedRange<Double> { Double(firstBreak)...Double(firstBreak + pieceCount) }

    /// One height per piece, each ~ U[valueRange].
    public func sampleTask(generator: inout SeededGenerator) -> RegressionTask {
        .piecewiseConstant(firstBreak: firstBreak, values: (0..<pieceCount).map { _ in
            generator.uniform(valueRange.lowerBound, valueRange.upperBound)
        })
    }

    /// y = f(x) + N(0, noise^2); no random draw at all when the noise is zero.
    public func observe(_ task: RegressionTask, at x: Double, generator: inout SeededGenerator) -> Double {
        noiseStandardDeviation == 0 ? task(x) : task(x) + generator.normal(standardDeviation: noiseStandardDeviation)
    }
}
