import Autodiff
import ExerciseSupport

/// One few-shot regression task: a support set to adapt on and a query set to judge the
/// adapted model. Inputs and targets are columns of shape [n, 1].
public struct RegressionTask {
    /// Support inputs, [n, 1].
    public let supportInputs: Tensor
    /// Support targets, [n, 1].
    public let supportTargets: Tensor
    /// Query inputs, [m, 1].
    public let queryInputs: Tensor
    /// Query targets, [m, 1].
    public let queryTargets: Tensor

    /// Makes a task; throws when an input and its targets differ in shape or are not columns.
    public init(supportInputs: Tensor, supportTargets: Tensor, queryInputs: Tensor, queryTargets: Tensor) throws {
        for (name, inputs, targets) in [("support", supportInputs, supportTargets), ("query", queryInputs, queryTargets)] {
            guard inputs.rank == 2, inputs.shape[1] == 1, inputs.shape == targets.shape else {
                throw ExerciseError.invalidArgument(
                    "\(name) inputs \(inputs.shape) and targets \(targets.shape) must both be columns [n, 1] of the same length")
            }
        }
        self.init(checkedSupport: (supportInputs, supportTargets), query: (queryInputs, queryTargets))
    }

    /// Makes a task from sets already known to be matching columns.
    init(checkedSupport support: (Tensor, Tensor), query: (Tensor, Tensor)) {
        (supportInputs, supportTargets) = support
        (queryInputs, queryTargets) = query
    }
}

/// Where `trainMAML` gets its tasks: anything that draws a task with a seeded generator.
/// `PiecewiseConstantTasks` is the family of this exercise; the grader passes a family of its own
/// that hands out tasks it chose and notes every call.
public protocol RegressionTaskFamily {
    /// Draws one task, advancing `generator`.
    func sample(using generator: inout SeededGenerator) -> RegressionTask
}

/// Random piecewise-constant functions on [−3, 3] with jumps at the integers: each of the six
/// unit intervals gets its own level, drawn from a standard normal. Inputs are uniform on [−3, 3].
public struct PiecewiseConstantTasks: RegressionTaskFamily, Sendable {
    /// Points in each support set.
    public let supportSize: Int
    /// Points in each query set.
    public let querySize: Int

    /// A family with the given set sizes; throws unless both are positive.
    public init(supportSize: Int = 10, querySize: Int = 10) throws {
        guard supportSize > 0, querySize > 0 else {
            throw ExerciseError.invalidArgument("support and query sizes must be positive, got \(supportSize) and \(querySize)")
        }
        self.supportSize = supportSize
        self.querySize = querySize
    }

    /// Draws one task: six levels, then support and query points of that one function.
    public func sample(using generator: inout SeededGenerator) -> RegressionTask {
        let levels = (0..<6).map { _ in generator.normal() }
        func points(_ count: Int) -> (Tensor, Tensor) {
            let inputs = (0..<count).map { _ in generator.uniform(-3, 3) }
            // Interval k covers [k − 3, k − 2); x = 3 itself belongs to the last one.
            let targets = inputs.map { levels[min(Int(($0 + 3).rounded(.down)), 5)] }
            return (Tensor(shape: [count, 1], scalars: inputs), Tensor(shape: [count, 1], scalars: targets))
        }
        let support = points(supportSize)
        return RegressionTask(checkedSupport: support, query: points(querySize))
    }
}

/// The regression network, a multi-layer perceptron with ReLU hidden layers:
///
///     h₀ = x,   hₗ = relu(hₗ₋₁ Wₗ + bₗ) for the hidden layers,   f(x) = h_{L−1} W_L + b_L.
///
/// `params` holds `W1`, `b1`, `W2`, `b2`, ... in order; inputs are [n, 1], outputs [n, 1].
public func regressionNetwork(_ params: Parameters, _ inputs: Tensor) -> Tensor {
    let layerCount = params.count / 2
    var hidden = inputs
    for layer in 1...layerCount {
        hidden = matmul(hidden, params.require("W\(layer)")) + params.require("b\(layer)")
        if layer < layerCount { hidden = relu(hidden) }
    }
    return hidden
}

/// Initial weights for `regressionNetwork` with layer widths `widths` (first 1, last 1):
/// weights normal with standard deviation `scale`, biases zero.
public func randomNetwork(widths: [Int] = [1, 40, 40, 1], scale: Double = 0.1, using generator: inout SeededGenerator) -> Parameters {
    var pairs: [(String, Tensor)] = []
    for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
        pairs.append(("W\(layer + 1)", Tensor.randomNormal([fanIn, fanOut], standardDeviation: scale, generator: &generator)))
        pairs.append(("b\(layer + 1)", Tensor.zeros([fanOut])))
    }
    return Parameters(pairs)
}

/// The cost of a network on one data set: the mean squared error of its predictions.
public func regressionCost(_ params: Parameters, inputs: Tensor, targets: Tensor) -> Tensor {
    meanSquaredError(regressionNetwork(params, inputs), targets)
}
