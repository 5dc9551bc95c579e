import Autodiff
import Foundation
import NeuralNetworks

/// A Gaussian policy π_θ(a | s) = 𝒩(a; μ_θ(s), diag(σ²)): a small tanh MLP gives the mean
/// action, and a learned vector log σ (the parameter `"log_std"`) gives its spread.
///
/// With a `meanBound` m the mean is squashed into the action box, μ_θ(s) = m · tanh(f_θ(s)): a
/// mean far outside the box where actions are clipped would make every sampled action the
/// same after clipping, every advantage zero, and learning stop.
///
/// Like `MLP`, it is a pure function of a `Parameters` collection, and it runs a whole
/// meta-batch at once on parameters tiled over tasks (`Parameters.tiled(for:)`): states
/// `[T, n, 2]`, weights `[T, in, out]`, `log_std` `[T, 1, 2]`.
public struct GaussianPolicy: Sendable, Equatable {
    /// The network computing the mean action μ_θ(s).
    public let network: MLP

    /// The name of the log standard deviation parameter.
    public static let logStandardDeviationName = "log_std"

    /// The bound m of the mean action, μ = m · tanh(f_θ(s)); nil leaves the network's output as it is.
    public let meanBound: Double?

    /// A policy mapping `stateSize` inputs through tanh hidden layers of `hiddenSizes` to `actionSize`
    /// means, squashed into [-meanBound, meanBound] when a bound is given.
    public init(hiddenSizes: [Int], stateSize: Int = 2, actionSize: Int = 2, meanBound: Double? = nil) {
        check(meanBound.map { $0 > 0 } ?? true, "GaussianPolicy: the mean bound must be positive, got \(meanBound!)")
        network = MLP(sizes: [stateSize] + hiddenSizes + [actionSize], activation: .tanh)
        self.meanBound = meanBound
    }

    /// The number of action coordinates.
    public var actionSize: Int { network.sizes.last! }

    /// Fresh parameters: Glorot-uniform weights (the output layer's scaled by 0.1, so the initial
    /// mean action is close to 0 everywhere), zero biases, and log σ = `logStandardDeviation` everywhere.
    public func initialParameters(generator: inout SeededGenerator, dtype: DType = .float64,
                                  logStandardDeviation: Double) -> Parameters {
        var parameters = network.initialize(generator: &generator, dtype: dtype)
        let output = "layer\(network.layerCount).weight"
        parameters[output] = parameters.require(output) * 0.1
        parameters[Self.logStandardDeviationName] = Tensor.full(logStandardDeviation, shape: [actionSize], dtype: dtype)
        return parameters
    }

    /// The mean action μ_θ(s) for states `[..., n, stateSize]`: f_θ(s), or m · tanh(f_θ(s)) with a bound m.
    public func mean(_ parameters: Parameters, states: Tensor) -> Tensor {
        let output = network(parameters, states)
        guard let meanBound else { return output }
        return meanBound * tanh(output)
    }

    /// log π_θ(a | s) = Σ_d [ -½ ((a_d - μ_d) / σ_d)² - log σ_d - ½ log 2π ], one value per state:
    /// states `[..., n, 2]` and actions `[..., n, 2]` give `[..., n]`.
    public func logProbability(_ parameters: Parameters, states: Tensor, actions: Tensor) -> Tensor {
        check(states.shape.dropLast() == actions.shape.dropLast(),
              "GaussianPolicy.logProbability: states \(states.shape) and actions \(actions.shape) disagree")
        let logSigma = parameters.require(Self.logStandardDeviationName)
        let z = (actions - mean(parameters, states: states)) * exp(-logSigma)
        let perCoordinate = -0.5 * z.squared - logSigma - 0.5 * Foundation.log(2 * Double.pi)
        return perCoordinate.sum(axis: -1)
    }

    /// Samples a = μ_θ(s) + σ ⊙ ε with ε ~ 𝒩(0, I), without recording: constants shaped like the means.
    public func sampleActions(_ parameters: Parameters, states: Tensor, generator: inout SeededGenerator) -> Tensor {
        withoutRecording {
            let mu = mean(parameters, states: states)
            let noise = Tensor.randomNormal(mu.shape, dtype: mu.dtype, generator: &generator)
            return (mu + exp(parameters.require(Self.logStandardDeviationName)) * noise).detached()
        }
    }
}
