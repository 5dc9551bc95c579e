import Autodiff

/// How the initial values of a weight tensor are drawn; every draw goes through a `SeededGenerator`.
///
/// `fanIn` is the number of inputs feeding one output unit (a dense layer's input width, or
/// channels·kh·kw for a convolution) and `fanOut` the number of outputs one input feeds.
public enum Initializer: Sendable, Equatable, CustomStringConvertible {
    /// w ~ N(0, std²): a Gaussian with a small, fixed standard deviation (the handout's random init).
    case gaussian(standardDeviation: Double)
    /// w ~ U[-1/√fanIn, 1/√fanIn]: the common default for dense and convolutional layers.
    case uniformFanIn
    /// w ~ U[-a, a] with a = √(6 / (fanIn + fanOut)) (Glorot and Bengio, "Xavier" uniform).
    case glorotUniform
    /// w ~ N(0, 2 / fanIn) (He et al.), suited to ReLU networks.
    case heNormal
    /// w = 0 (biases; or a head that should start from zero logits).
    case zeros

    /// A tensor of `shape` drawn from this distribution.
    public func tensor(_ shape: [Int], fanIn: Int, fanOut: Int, dtype: DType = .float64,
                       generator: inout SeededGenerator) -> Tensor {
        check(fanIn > 0 && fanOut > 0, "Initializer.\(self): fanIn (\(fanIn)) and fanOut (\(fanOut)) must be positive")
        switch self {
        case .gaussian(let std):
            return .randomNormal(shape, standardDeviation: std, dtype: dtype, generator: &generator)
        case .uniformFanIn:
            let bound = 1 / Double(fanIn).squareRoot()
            return .randomUniform(shape, low: -bound, high: bound, dtype: dtype, generator: &generator)
        case .glorotUniform:
            let bound = (6 / Double(fanIn + fanOut)).squareRoot()
            return .randomUniform(shape, low: -bound, high: bound, dtype: dtype, generator: &generator)
        case .heNormal:
            return .randomNormal(shape, standardDeviation: (2 / Double(fanIn)).squareRoot(), dtype: dtype,
                                 generator: &generator)
        case .zeros:
            return .zeros(shape, dtype: dtype)
        }
    }

    /// The name and its parameter, for reports ("gaussian(std 0.01)", "glorotUniform").
    public var description: String {
        switch self {
        case .gaussian(let std): "gaussian(std \(std))"
        case .uniformFanIn: "uniformFanIn"
        case .glorotUniform: "glorotUniform"
        case .heNormal: "heNormal"
        case .zeros: "zeros"
        }
    }
}
