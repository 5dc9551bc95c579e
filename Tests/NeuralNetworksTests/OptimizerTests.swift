import Autodiff
import Foundation
import NeuralNetworks
import Testing

/// One scalar parameter "w" with the given value.
private func scalarParameter(_ value: Double) -> Parameters { ["w": Tensor([value])] }

/// The value of "w".
private func value(_ params: Parameters) -> Double { params.require("w").scalars[0] }

@Suite struct OptimizerTests {
    @Test func sgdStepsAgainstTheGradient() {
        let (next, _) = SGD(learningRate: 0.1).step(scalarParameter(1), scalarParameter(0.5), SGD.State())
        #expect(Swift.abs(value(next) - 0.95) < 1e-15)
    }

    @Test func momentumFollowsTheHandoutForm() {
        // μ = 0.9, α = 0.1, θ₀ = 1.  g₁ = 2: p₁ = -0.1·2 = -0.2, θ₁ = 1 - 0.02 = 0.98.
        // g₂ = 1: p₂ = 0.9·(-0.2) - 0.1·1 = -0.28, θ₂ = 0.98 - 0.028 = 0.952.
        let optimizer = MomentumSGD(learningRate: 0.1, momentum: 0.9)
        var theta = scalarParameter(1)
        var state = optimizer.initialState(for: theta)
        (theta, state) = optimizer.step(theta, scalarParameter(2), state)
        #expect(Swift.abs(value(theta) - 0.98) < 1e-14)
        #expect(Swift.abs(value(state.velocity) - -0.2) < 1e-14)
        (theta, state) = optimizer.step(theta, scalarParameter(1), state)
        #expect(Swift.abs(value(theta) - 0.952) < 1e-14)
        #expect(Swift.abs(value(state.velocity) - -0.28) < 1e-14)
    }

    @Test func rmspropAddsEpsilonOutsideTheSquareRoot() {
        // γ = 0.9, α = 0.01, g = 2: v₁ = 0.1·4 = 0.4, θ₁ = 1 - 0.01·2 / (√0.4 + ε).
        for epsilon in [0.0, 1.0] {
            let optimizer = RMSprop(learningRate: 0.01, decay: 0.9, epsilon: epsilon)
            let (next, state) = optimizer.step(scalarParameter(1), scalarParameter(2), optimizer.initialState(for: scalarParameter(1)))
            #expect(Swift.abs(value(state.squaredAverage) - 0.4) < 1e-15)
            #expect(Swift.abs(value(next) - (1 - 0.02 / (0.4.squareRoot() + epsilon))) < 1e-15)
        }
        // With ε = 1 the two placements differ: 1 - 0.02/(√0.4 + 1) ≈ 0.987749, not 1 - 0.02/√1.4 ≈ 0.983097.
        let optimizer = RMSprop(learningRate: 0.01, decay: 0.9, epsilon: 1)
        let (next, _) = optimizer.step(scalarParameter(1), scalarParameter(2), optimizer.initialState(for: scalarParameter(1)))
        #expect(Swift.abs(value(next) - 0.987749) < 1e-6)
    }

    @Test func simplifiedAdamHasNoBiasCorrection() {
        // β₁ = 0.9, β₂ = 0.999, ε = 0, α = 0.1, g = 2: m₁ = 0.2, v₁ = 0.004,
        // m₁/√v₁ = 0.2/0.0632456 = 3.16228 (= √10), θ₁ = 1 - 0.316228 = 0.683772.
        let optimizer = Adam(learningRate: 0.1, epsilon: 0)
        let (next, state) = optimizer.step(scalarParameter(1), scalarParameter(2), optimizer.initialState(for: scalarParameter(1)))
        #expect(Swift.abs(value(state.firstMoment) - 0.2) < 1e-15)
        #expect(Swift.abs(value(state.secondMoment) - 0.004) < 1e-15)
        #expect(state.step == 1)
        #expect(Swift.abs(value(next) - (1 - 0.1 * 10.0.squareRoot())) < 1e-12)
    }

    @Test func biasCorrectedAdamTakesAStepOfAlphaFirst() {
        // m̂₁ = m₁/(1 - β₁) = g, v̂₁ = v₁/(1 - β₂) = g², so the first step is α·sign(g): θ₁ = 1 - 0.1.
        let optimizer = Adam(learningRate: 0.1, epsilon: 0, biasCorrection: true)
        let (next, _) = optimizer.step(scalarParameter(1), scalarParameter(2), optimizer.initialState(for: scalarParameter(1)))
        #expect(Swift.abs(value(next) - 0.9) < 1e-12)
    }

    /// The handout's update rules written in plain Double arithmetic, as an independent reference.
    enum Reference {
        static func momentum(_ theta: [Double], _ grads: [[Double]], alpha: Double, mu: Double) -> [Double] {
            var (theta, p) = (theta, [Double](repeating: 0, count: theta.count))
            for g in grads {
                for i in theta.indices {
                    p[i] = mu * p[i] - (1 - mu) * g[i]
                    theta[i] += alpha * p[i]
                }
            }
            return theta
        }

        static func rmsprop(_ theta: [Double], _ grads: [[Double]], alpha: Double, gamma: Double, eps: Double) -> [Double] {
            var (theta, v) = (theta, [Double](repeating: 0, count: theta.count))
            for g in grads {
                for i in theta.indices {
                    v[i] = gamma * v[i] + (1 - gamma) * g[i] * g[i]
                    theta[i] -= alpha * g[i] / (v[i].squareRoot() + eps)
                }
            }
            return theta
        }

        static func adam(_ theta: [Double], _ grads: [[Double]], alpha: Double, b1: Double, b2: Double, eps: Double,
                         corrected: Bool) -> [Double] {
            var (theta, m, v) = (theta, [Double](repeating: 0, count: theta.count), [Double](repeating: 0, count: theta.count))
            for (step, g) in grads.enumerated() {
                let t = Double(step + 1)
                for i in theta.indices {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    let (mu, nu) = corrected ? (m[i] / (1 - pow(b1, t)), v[i] / (1 - pow(b2, t))) : (m[i], v[i])
                    theta[i] -= alpha * mu / (nu.squareRoot() + eps)
                }
            }
            return theta
        }
    }

    /// Runs `optimizer` on a 2x3 parameter through a fixed sequence of random gradients.
    func run<O: Optimizer>(_ optimizer: O, _ theta: [Double], _ grads: [[Double]]) -> [Double] {
        var params: Parameters = ["w": Tensor(shape: [2, 3], scalars: theta)]
        var state = optimizer.initialState(for: params)
        for g in grads {
            (params, state) = optimizer.step(params, ["w": Tensor(shape: [2, 3], scalars: g)], state)
        }
        return params.require("w").scalars
    }

    @Test func severalStepsMatchTheHandoutEquations() {
        var generator = SeededGenerator(seed: 11)
        let theta = (0..<6).map { _ in generator.normal() }
        let grads = (0..<5).map { _ in (0..<6).map { _ in generator.normal() } }
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { Swift.abs($0 - $1) < 1e-12 } }
        #expect(close(run(MomentumSGD(learningRate: 0.3, momentum: 0.8), theta, grads),
                      Reference.momentum(theta, grads, alpha: 0.3, mu: 0.8)))
        #expect(close(run(RMSprop(learningRate: 0.05, decay: 0.7, epsilon: 0.1), theta, grads),
                      Reference.rmsprop(theta, grads, alpha: 0.05, gamma: 0.7, eps: 0.1)))
        for corrected in [false, true] {
            #expect(close(run(Adam(learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 0.01, biasCorrection: corrected), theta, grads),
                          Reference.adam(theta, grads, alpha: 0.02, b1: 0.8, b2: 0.95, eps: 0.01, corrected: corrected)))
        }
    }

    @Test func adamWithoutEpsilonIgnoresTheScaleOfTheLoss() {
        // θₜ on C·L equals θₜ on L for ε = 0 (g, m and √v all scale by C).
        var generator = SeededGenerator(seed: 12)
        let model = MLP(sizes: [2, 4, 1], activation: .tanh)
        let start = model.initialize(generator: &generator)
        let x = Tensor.randomNormal([8, 2], generator: &generator)
        let y = Tensor.randomNormal([8, 1], generator: &generator)
        func trajectory(scale: Double, biasCorrection: Bool) -> [Double] {
            let optimizer = Adam(learningRate: 0.05, epsilon: 0, biasCorrection: biasCorrection)
            var (params, state) = (start, optimizer.initialState(for: start))
            for _ in 0..<6 {
                let g = grad { (p: Parameters) in scale * meanSquaredError(model(p, x), y) }(params)
                (params, state) = optimizer.step(params, g, state)
            }
            return params.tensors.flatMap(\.scalars)
        }
        for corrected in [false, true] {
            let reference = trajectory(scale: 1, biasCorrection: corrected)
            let scaled = trajectory(scale: 1000, biasCorrection: corrected)
            #expect(zip(reference, scaled).allSatisfy { Swift.abs($0 - $1) < 1e-10 })
            #expect(reference != start.tensors.flatMap(\.scalars))
        }
    }

    @Test func stateSurvivesAsNamedTensors() throws {
        let optimizer = Adam(learningRate: 0.1)
        let params: Parameters = ["a": Tensor([1, 2]), "b": Tensor(rows: [[3]])]
        let (_, state) = optimizer.step(params, params, optimizer.initialState(for: params))
        let restored = try Adam.State(namedTensors: state.namedTensors)
        #expect(restored.step == 1)
        #expect(restored.firstMoment.names == ["a", "b"])
        #expect(restored.secondMoment.require("b").scalars == state.secondMoment.require("b").scalars)
        #expect(throws: OptimizerStateError.missingTensor(state: "Adam", name: "step")) {
            try Adam.State(namedTensors: state.firstMoment.map { $0 })
        }
    }

    @Test("the one-pass Adam update gives exactly the composed expression's numbers",
          arguments: [(DType.float32, false), (.float32, true), (.float64, false), (.float64, true)])
    func fusedAdamMatchesTheComposedForm(dtype: DType, biasCorrection: Bool) {
        var generator = SeededGenerator(seed: 17)
        let shapes: [(String, [Int])] = [("w", [3, 4]), ("b", [4]), ("s", [])]
        let draw = { (generator: inout SeededGenerator) in
            Parameters(shapes.map { ($0.0, Tensor.randomNormal($0.1, dtype: dtype, generator: &generator)) })
        }
        let optimizer = Adam(learningRate: 0.03, beta1: 0.8, beta2: 0.97, epsilon: 1e-3, biasCorrection: biasCorrection)
        var (fused, composed) = (draw(&generator), Parameters())
        composed = fused
        var (fusedState, composedState) = (optimizer.initialState(for: fused), optimizer.initialState(for: fused))
        for _ in 0..<3 {
            let grads = draw(&generator)
            (fused, fusedState) = optimizer.step(fused, grads, fusedState)
            // Tracked parameters take the composed, recordable path.
            let (tracked, trackedState) = optimizer.step(composed.map { $0.variable() }, grads, composedState)
            #expect(tracked.tensors.contains { $0.node != nil }, "the composed path should have been recorded")
            (composed, composedState) = (tracked.detached(), trackedState)
            composedState.firstMoment = composedState.firstMoment.detached()
            composedState.secondMoment = composedState.secondMoment.detached()
        }
        for (a, b) in [(fused, composed), (fusedState.firstMoment, composedState.firstMoment),
                       (fusedState.secondMoment, composedState.secondMoment)] {
            #expect(a.names == b.names)
            #expect(zip(a.tensors, b.tensors).allSatisfy { $0.shape == $1.shape && $0.scalars == $1.scalars })
        }
        #expect(fusedState.step == 3)
    }
}
