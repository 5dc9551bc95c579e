import Autodiff

/// An element-wise nonlinearity applied between the layers of a model.
///
/// Each case is a composition of differentiable primitives, so a model using it can be
/// differentiated to any order (MAML needs the Hessian-vector products of the activation).
public enum Activation: String, Sendable, CaseIterable, CustomStringConvertible {
    /// max(0, x): the activation of the sine-wave MAML network (1-40-40-1).
    case relu
    /// tanh(x): the activation of the frequency-regression network (1-32-32-1).
    case tanh
    /// σ(x) = 1 / (1 + e^-x).
    case sigmoid
    /// x, unchanged (a linear model).
    case identity

    /// Applies the nonlinearity element by element.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: Autodiff.relu(x)
        case .tanh: Autodiff.tanh(x)
        case .sigmoid: Autodiff.sigmoid(x)
        case .identity: x
        }
    }

    /// The name as written on a command line ("relu", "tanh", ...).
    public var description: String { rawValue }
}
