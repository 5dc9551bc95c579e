import Autodiff
import ExerciseSupport

/// A batch of sine-wave regression tasks with a leading task axis: inputs and targets of
/// shape [T, n, 1], task t holding points of y = a_t sin(x + φ_t).
public struct SineTaskBatch {
    /// Support inputs, [T, n, 1].
    public let supportInputs: Tensor
    /// Support targets, [T, n, 1].
    public let supportTargets: Tensor
    /// Query inputs, [T, m, 1].
    public let queryInputs: Tensor
    /// Query targets, [T, m, 1].
    public let queryTargets: Tensor

    /// T, the number of tasks.
    public var taskCount: Int { supportInputs.shape[0] }

    /// Makes a batch; throws unless all four tensors are [T, ·, 1] with one T and inputs shaped like targets.
    public init(supportInputs: Tensor, supportTargets: Tensor, queryInputs: Tensor, queryTargets: Tensor) throws {
        for (name, inputs, targets) in [("support", supportInputs, supportTargets), ("query", queryInputs, queryTargets)] {
            guard inputs.rank == 3, inputs.shape[2] == 1, inputs.shape == targets.shape,
                  inputs.shape[0] == supportInputs.shape[0] else {
                throw ExerciseError.invalidArgument(
                    "\(name) inputs \(inputs.shape) and targets \(targets.shape) must both be [T, n, 1] with the same T as the support set")
            }
        }
        self.supportInputs = supportInputs
        self.supportTargets = supportTargets
        self.queryInputs = queryInputs
        self.queryTargets = queryTargets
    }

    /// Task t alone: its support and query sets as [n, 1] columns.
    public func task(_ t: Int) -> (support: (inputs: Tensor, targets: Tensor), query: (inputs: Tensor, targets: Tensor)) {
        func row(_ x: Tensor) -> Tensor { x.sliced(axis: 0, t..<(t + 1)).reshaped(Array(x.shape.dropFirst())) }
        return ((row(supportInputs), row(supportTargets)), (row(queryInputs), row(queryTargets)))
    }
}

/// Sine waves y = a sin(x + φ) with amplitude a uniform on [0.1, 5], phase φ uniform on
/// [0, π] and inputs uniform on [−5, 5], the family of the original MAML paper.
public struct SineTasks: Sendable {
    /// Draws `count` tasks with `supportSize` support and `querySize` query points each.
    public static func sample(count: Int, supportSize: Int, querySize: Int, using generator: inout SeededGenerator) throws -> SineTaskBatch {
        guard count > 0, supportSize > 0, querySize > 0 else {
            throw ExerciseError.invalidArgument("task count and set sizes must be positive, got \(count), \(supportSize), \(querySize)")
        }
        let amplitudes = (0..<count).map { _ in generator.uniform(0.1, 5) }
        let phases = (0..<count).map { _ in generator.uniform(0, Double.pi) }
        func points(_ size: Int) -> (Tensor, Tensor) {
            let inputs = (0..<count * size).map { _ in generator.uniform(-5, 5) }
            let targets = inputs.enumerated().map { index, x in amplitudes[index / size] * Double.sin(x + phases[index / size]) }
            return (Tensor(shape: [count, size, 1], scalars: inputs), Tensor(shape: [count, size, 1], scalars: targets))
        }
        let support = points(supportSize)
        let query = points(querySize)
        return try SineTaskBatch(supportInputs: support.0, supportTargets: support.1, queryInputs: query.0, queryTargets: query.1)
    }
}

/// The network of the sine exercise, an MLP with ReLU hidden layers (1-40-40-1 by default):
///
///     h₀ = x,   hₗ = relu(hₗ₋₁ Wₗ + bₗ),   f(x) = h_{L−1} W_L + b_L.
///
/// Weights `Wₗ` are [in, out] and biases `bₗ` rows [1, out]. It also runs T networks at once:
/// give every tensor a leading task axis (W [T, in, out], b [T, 1, out], see `withTaskAxis`)
/// and inputs [T, n, 1]; shared parameters with inputs [T, n, 1] work as well.
public func sineNetwork(_ params: Parameters, _ inputs: Tensor) -> Tensor {
    let layerCount = params.count / 2
    var hidden = inputs
    for layer in 1...layerCount {
        hidden = matmul(hidden, params.require("W\(layer)")) + params.require("b\(layer)")
        if layer < layerCount { hidden = relu(hidden) }
    }
    return hidden
}

/// The squared-error loss of the sine exercise, summed over points: L = Σᵢ (f(xᵢ) − yᵢ)².
/// With a leading task axis it is the sum over every task's points.
public func squaredErrorLoss(_ params: Parameters, inputs: Tensor, targets: Tensor) -> Tensor {
    (sineNetwork(params, inputs) - targets).squared.sum()
}

/// T copies of every parameter along a new leading task axis ([T] + shape); gradients flow
/// back to `params` through the copies.
public func withTaskAxis(_ params: Parameters, count: Int) -> Parameters {
    params.map { $0.expandingShape(at: 0).broadcast(to: [count] + $0.shape) }
}

/// Initial weights for `sineNetwork` with layer widths `widths`: weights normal with standard
/// deviation 1/√fan-in, biases zero.
public func randomSineNetwork(widths: [Int] = [1, 40, 40, 1], using generator: inout SeededGenerator) -> Parameters {
    var pairs: [(String, Tensor)] = []
    for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
        let scale = 1 / Double(fanIn).squareRoot()
        pairs.append(("W\(layer + 1)", Tensor.randomNormal([fanIn, fanOut], standardDeviation: scale, generator: &generator)))
        pairs.append(("b\(layer + 1)", Tensor.zeros([1, fanOut])))
    }
    return Parameters(pairs)
}
