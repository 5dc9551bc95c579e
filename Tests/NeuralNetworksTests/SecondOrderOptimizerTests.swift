import Autodiff
import NeuralNetworks
import Testing

/// Optimizer steps inside a differentiated inner loop: the meta-objective
/// F(θ) = L_query(step(θ, ∇L_support(θ))) needs the derivative of the step itself,
/// including through √v where a moment is exactly zero.
@Suite struct SecondOrderOptimizerTests {
    /// θ = (a, b, c). The support loss ignores b, so b's gradient and moments are constant zeros;
    /// c starts at the minimum of its support term c², so its gradient 2c is zero but still
    /// depends on θ: the backward pass then meets √v at v = 0, where a 1/(2√v) would give NaN.
    let start: Parameters = ["a": Tensor([0.7, -0.4]), "b": Tensor([0.3]), "c": Tensor([0])]

    func supportLoss(_ p: Parameters) -> Tensor {
        (p.require("a") * Tensor([1.5, -2]) - 1).squared.sum() + p.require("c").squared.sum()
    }

    func queryLoss(_ p: Parameters) -> Tensor {
        (p.require("a") * Tensor([1, 0.5]) + p.require("b") * 2 + p.require("c") - 0.5).squared.sum()
    }

    func metaObjective<O: Optimizer>(_ optimizer: O) -> (Parameters) -> Tensor {
        { theta in
            var (params, state) = (theta, optimizer.initialState(for: theta))
            for _ in 0..<2 {
                (params, state) = optimizer.step(params, grad(supportLoss)(params), state)
            }
            return queryLoss(params)
        }
    }

    func check<O: Optimizer>(_ optimizer: O) throws {
        let f = metaObjective(optimizer)
        let analytic = grad(f)(start)
        #expect(analytic.tensors.allSatisfy { $0.scalars.allSatisfy { $0.isFinite } })
        // √v = |2c|·const is not smooth at c = 0, so the central difference along c carries an
        // O(h/ε) error (about 1e-6 here) on top of the usual O(h²).
        try checkGradients(f, at: start, order: 1, tolerance: 1e-5)
        // The step's dependence on the support Hessian is really there: a first-order
        // meta-gradient (inner gradients as constants) is not the gradient of F.
        #expect(throws: GradientCheckFailure.self) {
            try checkGradients({ theta in withFirstOrderGradients { f(theta) } }, at: start, order: 1, tolerance: 1e-4)
        }
    }

    @Test func sgdIsTwiceDifferentiable() throws { try check(SGD(learningRate: 0.1)) }
    @Test func momentumIsTwiceDifferentiable() throws { try check(MomentumSGD(learningRate: 0.1, momentum: 0.5)) }
    @Test func rmspropIsTwiceDifferentiable() throws { try check(RMSprop(learningRate: 0.05, decay: 0.9, epsilon: 0.5)) }
    @Test func adamIsTwiceDifferentiable() throws { try check(Adam(learningRate: 0.05, epsilon: 0.5)) }
    @Test func biasCorrectedAdamIsTwiceDifferentiable() throws { try check(Adam(learningRate: 0.05, epsilon: 0.5, biasCorrection: true)) }
}
