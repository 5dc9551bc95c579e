import Autodiff

/// A gradient-based update rule written as a pure function:
/// (θₜ₋₁, gₜ, stateₜ₋₁) ↦ (θₜ, stateₜ).
///
/// Nothing is mutated, and every update is written with `Tensor` operations, so a step can sit
/// inside a differentiated inner loop (its second derivatives are recorded like any other op),
/// and the same value serves as the outer-loop optimizer of meta-training.
public protocol Optimizer: Sendable {
    /// What the rule remembers between steps (moments, velocities, the step count).
    associatedtype State: OptimizerState

    /// The state before the first step, shaped like `params` (moments start at zero).
    func initialState(for params: Parameters) -> State

    /// One update: the new parameters and the new state, given the gradients at `params`.
    func step(_ params: Parameters, _ grads: Parameters, _ state: State) -> (Parameters, State)
}

/// An optimizer's state as named tensors, so a checkpoint can save it and restore it.
public protocol OptimizerState: Sendable {
    /// The state as named tensors (for example `"m.layer1.weight"`), in a fixed order.
    var namedTensors: Parameters { get }
    /// Rebuilds the state from tensors written by `namedTensors`; throws if one is missing or misshapen.
    init(namedTensors: Parameters) throws
}

/// Restoring an optimizer's state from named tensors failed.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    /// A tensor the state needs is absent.
    case missingTensor(state: String, name: String)
    /// A tensor is present but has the wrong shape.
    case wrongShape(state: String, name: String, shape: [Int], expected: [Int])

    /// A sentence naming the state and the tensor at fault.
    public var description: String {
        switch self {
        case .missingTensor(let state, let name):
            "\(state) state: no tensor named '\(name)'"
        case .wrongShape(let state, let name, let shape, let expected):
            "\(state) state: tensor '\(name)' has shape \(shape), expected \(expected)"
        }
    }
}

extension Parameters {
    /// Every tensor renamed `<prefix>.<name>`.
    func prefixed(_ prefix: String) -> Parameters {
        Parameters(names: names.map { "\(prefix).\($0)" }, tensors: tensors)
    }

    /// The tensors named `<prefix>.<name>`, with the prefix removed, in order.
    func unprefixed(_ prefix: String) -> Parameters {
        Parameters(filter { $0.0.hasPrefix(prefix + ".") }.map { (String($0.0.dropFirst(prefix.count + 1)), $0.1) })
    }

    /// Checks that every gradient matches a parameter name and shape before an update.
    func checkGradients(_ grads: Parameters, optimizer: String) {
        check(names == grads.names,
              "\(optimizer): gradient names \(grads.names) differ from parameter names \(names)")
        for (name, (p, g)) in Swift.zip(names, Swift.zip(tensors, grads.tensors)) {
            check(p.shape == g.shape, "\(optimizer): gradient of '\(name)' has shape \(g.shape), parameter has \(p.shape)")
        }
    }
}

/// Plain gradient descent: θₜ = θₜ₋₁ - α gₜ (the MAML inner loop).
public struct SGD: Optimizer, Equatable {
    /// The step size α.
    public var learningRate: Double

    /// Gradient descent with step size `learningRate`.
    public init(learningRate: Double) { self.learningRate = learningRate }

    /// SGD remembers nothing.
    public struct State: OptimizerState, Equatable {
        /// The empty state.
        public init() {}
        /// No tensors.
        public var namedTensors: Parameters { Parameters() }
        /// The empty state (any tensors are ignored).
        public init(namedTensors: Parameters) throws {}
    }

    /// The empty state.
    public func initialState(for params: Parameters) -> State { State() }

    /// θₜ = θₜ₋₁ - α gₜ.
    public func step(_ params: Parameters, _ grads: Parameters, _ state: State) -> (Parameters, State) {
        params.checkGradients(grads, optimizer: "SGD")
        return (params - learningRate * grads, state)
    }
}
