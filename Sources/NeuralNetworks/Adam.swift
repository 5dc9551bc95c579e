import Autodiff
import Foundation

/// Adam, by default in the handout's "slightly simplified" form without bias correction:
///
///     mₜ = β₁ mₜ₋₁ + (1 - β₁) gₜ
///     vₜ = β₂ vₜ₋₁ + (1 - β₂) gₜ²
///     θₜ = θₜ₋₁ - α mₜ / (√vₜ + ε)
///
/// with m₀ = v₀ = 0 and every operation element-wise. With `biasCorrection: true` it is the
/// original algorithm of Kingma and Ba: m̂ₜ = mₜ / (1 - β₁ᵗ), v̂ₜ = vₜ / (1 - β₂ᵗ) replace mₜ and
/// vₜ in the update, θₜ = θₜ₋₁ - α m̂ₜ / (√v̂ₜ + ε).
///
/// With ε = 0 the update is invariant to scaling the loss by C > 0: g, m and √v all scale by
/// C, and the ratio m / √v does not change.
public struct Adam: Optimizer, Equatable {
    /// The step size α.
    public var learningRate: Double
    /// The decay β₁ of the first moment.
    public var beta1: Double
    /// The decay β₂ of the second moment.
    public var beta2: Double
    /// The damping ε, added to √v.
    public var epsilon: Double
    /// Whether to divide the moments by (1 - βᵗ) (the original Adam) or not (the handout's form).
    public var biasCorrection: Bool

    /// Adam with step size α, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, and no bias correction unless asked.
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                biasCorrection: Bool = false) {
        check(beta1 >= 0 && beta1 < 1, "Adam: beta1 must be in [0, 1), got \(beta1)")
        check(beta2 >= 0 && beta2 < 1, "Adam: beta2 must be in [0, 1), got \(beta2)")
        check(epsilon >= 0, "Adam: epsilon must be non-negative, got \(epsilon)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.biasCorrection = biasCorrection
    }

    /// The two moments and the number of steps taken.
    public struct State: OptimizerState {
        /// mₜ, the running average of gradients.
        public var firstMoment: Parameters
        /// vₜ, the running average of squared gradients.
        public var secondMoment: Parameters
        /// t, the number of steps taken so far.
        public var step: Int

        /// A state from its parts.
        public init(firstMoment: Parameters, secondMoment: Parameters, step: Int) {
            self.firstMoment = firstMoment
            self.secondMoment = secondMoment
            self.step = step
        }

        /// The state as `"m.<name>"`, `"v.<name>"` and a scalar `"step"`.
        public var namedTensors: Parameters {
            var all = firstMoment.prefixed("m").merging(secondMoment.prefixed("v"))
            all["step"] = Tensor(Double(step))
            return all
        }

        /// The state from tensors written by `namedTensors`.
        public init(namedTensors: Parameters) throws {
            guard let step = namedTensors["step"] else { throw OptimizerStateError.missingTensor(state: "Adam", name: "step") }
            firstMoment = namedTensors.unprefixed("m")
            secondMoment = namedTensors.unprefixed("v")
            for (name, m) in firstMoment {
                guard let v = secondMoment[name] else {
                    throw OptimizerStateError.missingTensor(state: "Adam", name: "v.\(name)")
                }
                guard v.shape == m.shape else {
                    throw OptimizerStateError.wrongShape(state: "Adam", name: "v.\(name)", shape: v.shape, expected: m.shape)
                }
            }
            self.step = Int(step.scalar)
        }
    }

    /// m₀ = v₀ = 0, t = 0.
    public func initialState(for params: Parameters) -> State {
        State(firstMoment: params.zerosLike(), secondMoment: params.zerosLike(), step: 0)
    }

    /// mₜ = β₁ mₜ₋₁ + (1 - β₁) gₜ;  vₜ = β₂ vₜ₋₁ + (1 - β₂) gₜ²;  θₜ = θₜ₋₁ - α mₜ / (√vₜ + ε)
    /// (with mₜ, vₜ divided by 1 - β₁ᵗ, 1 - β₂ᵗ in the update when bias correction is on).
    public func step(_ params: Parameters, _ grads: Parameters, _ state: State) -> (Parameters, State) {
        params.checkGradients(grads, optimizer: "Adam")
        let t = state.step + 1
        let untracked = [params, grads, state.firstMoment, state.secondMoment].allSatisfy { $0.tensors.allSatisfy { $0.node == nil } }
        if untracked && state.firstMoment.names == params.names && state.secondMoment.names == params.names {
            return fusedStep(params, grads, state, t: t)
        }
        let m = beta1 * state.firstMoment + (1 - beta1) * grads
        let v = beta2 * state.secondMoment + (1 - beta2) * grads.map(\.squared)
        var (mUsed, vUsed) = (m, v)
        if biasCorrection {
            mUsed = m / (1 - Foundation.pow(beta1, Double(t)))
            vUsed = v / (1 - Foundation.pow(beta2, Double(t)))
        }
        let update = mUsed.zip(vUsed) { m, v in m / (sqrt(v) + epsilon) }
        return (params - learningRate * update, State(firstMoment: m, secondMoment: v, step: t))
    }

    /// The same step, one pass per tensor (`fusedAdamUpdate`), for the usual case of constant
    /// tensors: identical numbers, without the intermediate tensors of the composed form above.
    private func fusedStep(_ params: Parameters, _ grads: Parameters, _ state: State, t: Int) -> (Parameters, State) {
        let corrections = biasCorrection ? (first: 1 - Foundation.pow(beta1, Double(t)), second: 1 - Foundation.pow(beta2, Double(t))) : nil
        var (theta, m, v) = ([Tensor](), [Tensor](), [Tensor]())
        for index in params.names.indices {
            let updated = fusedAdamUpdate(parameter: params.tensors[index], gradient: grads.tensors[index],
                                          firstMoment: state.firstMoment.tensors[index], secondMoment: state.secondMoment.tensors[index],
                                          learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                          corrections: corrections)
            theta.append(updated.parameter)
            m.append(updated.firstMoment)
            v.append(updated.secondMoment)
        }
        let names = params.names
        return (Parameters(names: names, tensors: theta),
                State(firstMoment: Parameters(names: names, tensors: m), secondMoment: Parameters(names: names, tensors: v), step: t))
    }
}
