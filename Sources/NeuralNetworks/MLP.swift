import Autodiff

/// A fully connected network as a pure function of its parameters: the weights live in a
/// `Parameters` collection that is passed in, the way the handouts keep them in a dict.
///
/// Layer `i` (counting from 1) owns `"layer<i>.weight"` of shape `[in, out]` and
/// `"layer<i>.bias"` of shape `[out]`, and computes h ← act(h @ W + b); the last layer has no
/// activation. The same function runs a whole meta-batch at once on batched parameters
/// (every tensor with a leading task axis T, as `Parameters.tiled(for:)` in MetaLearning makes):
/// inputs `[T, n, in]`, weights `[T, in, out]`, biases `[T, 1, out]`, one batched matmul per layer.
public struct MLP: Sendable, Equatable {
    /// The width of every layer, input first: `[1, 40, 40, 1]` is the sine-wave network.
    public let sizes: [Int]
    /// The nonlinearity between layers (not after the last one).
    public let activation: Activation

    /// A network with the given layer widths and activation.
    public init(sizes: [Int], activation: Activation) {
        check(sizes.count >= 2, "MLP: need at least an input and an output size, got \(sizes)")
        check(sizes.allSatisfy { $0 > 0 }, "MLP: every layer size must be positive, got \(sizes)")
        self.sizes = sizes
        self.activation = activation
    }

    /// The number of dense layers.
    public var layerCount: Int { sizes.count - 1 }

    /// The parameter names in order: `layer1.weight`, `layer1.bias`, `layer2.weight`, ...
    public var parameterNames: [String] {
        (1...layerCount).flatMap { ["layer\($0).weight", "layer\($0).bias"] }
    }

    /// The names of the last layer (the "head" an ANIL-style inner loop adapts).
    public var headNames: [String] { ["layer\(layerCount).weight", "layer\(layerCount).bias"] }

    /// Fresh parameters: weights drawn from `initializer`, biases zero.
    public func initialize(generator: inout SeededGenerator, dtype: DType = .float64,
                           initializer: Initializer = .glorotUniform) -> Parameters {
        var pairs: [(String, Tensor)] = []
        for layer in 1...layerCount {
            let (fanIn, fanOut) = (sizes[layer - 1], sizes[layer])
            pairs.append(("layer\(layer).weight", initializer.tensor([fanIn, fanOut], fanIn: fanIn, fanOut: fanOut,
                                                                     dtype: dtype, generator: &generator)))
            pairs.append(("layer\(layer).bias", .zeros([fanOut], dtype: dtype)))
        }
        return Parameters(pairs)
    }

    /// The network's output for inputs `x`: `[n, in]` gives `[n, out]`; with batched
    /// parameters, `[T, n, in]` gives `[T, n, out]`.
    public func callAsFunction(_ params: Parameters, _ x: Tensor) -> Tensor {
        check(x.rank >= 2 && x.shape.last == sizes[0],
              "MLP: input of shape \(x.shape) does not end in the input width \(sizes[0])")
        var h = x
        for layer in 1...layerCount {
            let weight = params.require("layer\(layer).weight")
            let bias = params.require("layer\(layer).bias")
            check(Array(weight.shape.suffix(2)) == [sizes[layer - 1], sizes[layer]],
                  "MLP: layer\(layer).weight has shape \(weight.shape), expected [..., \(sizes[layer - 1]), \(sizes[layer])]")
            // h ← h @ W + b; the bias broadcasts over the rows (and its task axis, when batched).
            h = matmul(h, weight) + bias
            if layer < layerCount { h = activation(h) }
        }
        return h
    }
}
