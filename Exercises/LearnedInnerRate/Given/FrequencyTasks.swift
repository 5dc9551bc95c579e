import Autodiff
import ExerciseSupport

/// One task of the frequency family: points of y = sin(a x) for one frequency a, split into
/// a training set for the inner loop and a validation set for the outer loss ([n, 1] columns).
public struct FrequencyTask {
    /// The task's frequency a.
    public let frequency: Double
    /// Inner-loop inputs, [n, 1].
    public let trainInputs: Tensor
    /// Inner-loop targets, [n, 1].
    public let trainTargets: Tensor
    /// Outer-loss inputs, [m, 1].
    public let validationInputs: Tensor
    /// Outer-loss targets, [m, 1].
    public let validationTargets: Tensor

    /// A task from given points (the workbook passes its own); the caller keeps the sets [n, 1].
    public init(frequency: Double, trainInputs: Tensor, trainTargets: Tensor, validationInputs: Tensor, validationTargets: Tensor) {
        self.frequency = frequency
        self.trainInputs = trainInputs
        self.trainTargets = trainTargets
        self.validationInputs = validationInputs
        self.validationTargets = validationTargets
    }

    /// Draws a task: a uniform on [0.5, 1], inputs uniform on [−2π, 2π], `trainSize` and
    /// `validationSize` points (4 and 4 by default). Throws unless both sizes are positive.
    public static func sample(trainSize: Int = 4, validationSize: Int = 4, using generator: inout SeededGenerator) throws -> FrequencyTask {
        guard trainSize > 0, validationSize > 0 else {
            throw ExerciseError.invalidArgument("set sizes must be positive, got \(trainSize) and \(validationSize)")
        }
        let frequency = generator.uniform(0.5, 1)
        func points(_ count: Int) -> (Tensor, Tensor) {
            let inputs = (0..<count).map { _ in generator.uniform(-2 * Double.pi, 2 * Double.pi) }
            return (Tensor(shape: [count, 1], scalars: inputs), Tensor(shape: [count, 1], scalars: inputs.map { Double.sin(frequency * $0) }))
        }
        let train = points(trainSize)
        let validation = points(validationSize)
        return FrequencyTask(frequency: frequency, trainInputs: train.0, trainTargets: train.1,
                             validationInputs: validation.0, validationTargets: validation.1)
    }
}

/// The name of the learned inner step size among the meta-parameters.
public let innerRateName = "innerRate"

/// The network of this exercise, an MLP with tanh hidden layers (1-32-32-1 by default):
/// hₗ = tanh(hₗ₋₁ Wₗ + bₗ), f(x) = h_{L−1} W_L + b_L. `weights` holds `W1`, `b1`, ... only.
public func frequencyNetwork(_ weights: Parameters, _ inputs: Tensor) -> Tensor {
    let layerCount = weights.count / 2
    var hidden = inputs
    for layer in 1...layerCount {
        hidden = matmul(hidden, weights.require("W\(layer)")) + weights.require("b\(layer)")
        if layer < layerCount { hidden = tanh(hidden) }
    }
    return hidden
}

/// The loss of this exercise, the mean absolute error L = (1/n) Σᵢ |f(xᵢ) − yᵢ|.
public func absoluteErrorLoss(_ weights: Parameters, inputs: Tensor, targets: Tensor) -> Tensor {
    meanAbsoluteError(frequencyNetwork(weights, inputs), targets)
}

/// Meta-parameters to start from: network weights for layer widths `widths` (weights uniform
/// on ±1/√fan-in, biases zero) and the inner step size α = `innerRate` as a one-element tensor.
public func initialMetaParameters(widths: [Int] = [1, 32, 32, 1], innerRate: Double = 0.1, using generator: inout SeededGenerator) -> Parameters {
    var pairs: [(String, Tensor)] = []
    for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
        let bound = 1 / Double(fanIn).squareRoot()
        pairs.append(("W\(layer + 1)", Tensor.randomUniform([fanIn, fanOut], low: -bound, high: bound, generator: &generator)))
        pairs.append(("b\(layer + 1)", Tensor.zeros([fanOut])))
    }
    pairs.append((innerRateName, Tensor([innerRate])))
    return Parameters(pairs)
}

/// The network weights of the meta-parameters (everything but the inner step size).
public func networkWeights(of meta: Parameters) -> Parameters {
    meta.selecting(meta.map(\.0).filter { $0 != innerRateName })
}
