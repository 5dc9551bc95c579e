/// One regression task: a function of one real variable, drawn from a `TaskFamily`.
///
/// The parameters are kept so the ground truth can be plotted next to a model's fit.
public enum RegressionTask: Sendable, Equatable {
    /// A step function: `values[i]` on `[firstBreak + i, firstBreak + i + 1)`.
    ///
    /// f(x) = values[floor(x) - firstBreak]; inputs beyond either end take the nearest piece.
    case piecewiseConstant(firstBreak: Int, values: [Double])
    /// A sine wave: f(x) = amplitude * sin(frequency * x + phase).
    case sine(amplitude: Double, frequency: Double, phase: Double)

    /// The function's value at `x`.
    public func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .piecewiseConstant(let firstBreak, let values):
            // k = floor(x) - firstBreak, clamped to the pieces that exist.
            let piece = Int((x - Double(firstBreak)).rounded(.down))
            return values[min(max(piece, 0), values.count - 1)]
        case .sine(let amplitude, let frequency, let phase):
            return amplitude * Double.sin(frequency * x + phase)
        }
    }

    /// The function's values at many inputs.
    public func callAsFunction(_ xs: [Double]) -> [Double] {
        xs.map { self($0) }
    }
}
