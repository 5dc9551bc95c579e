import Autodiff
import ReptileAndANIL
import Foundation
import GradingSupport
import Testing

// Hidden tests for ReptileAndANIL (3 points): `serial`, `batched` and `anil` (1 point each).
// They inject the reference gradient step below, so a wrong gdStep costs nothing here.

/// The reference gradient step θ − η ∇cost(θ).
private func referenceStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ eta: Double) throws -> Parameters {
    params - eta * grad(cost)(params)
}

/// A quadratic task ½ Σ c ⊙ (θ − t)² over the tensors `a` and `b`: k steps of size η map
/// θ − t to (1 − ηc)^k (θ − t).
private struct QuadraticTask {
    let curvature: [String: [Double]]
    let target: [String: [Double]]

    func cost(_ p: Parameters) -> Tensor {
        let terms = ["a", "b"].map { name -> Tensor in
            let residual = p.require(name) - Tensor(target[name]!)
            return 0.5 * (Tensor(curvature[name]!) * residual * residual).sum()
        }
        return terms[0] + terms[1]
    }

    /// The exact result of k steps of size η from `start`.
    func adapted(_ start: Parameters, steps: Int, eta: Double) -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        for name in ["a", "b"] {
            let values = start.require(name).scalars
            let targets = target[name]!
            let curvatures = curvature[name]!
            result[name] = values.indices.map { i -> Double in
                let factor = pow(1 - eta * curvatures[i], Double(steps))
                return targets[i] + factor * (values[i] - targets[i])
            }
        }
        return result
    }
}

private let phi: Parameters = ["a": Tensor([1.0, -2.0]), "b": Tensor([0.5, 3.0, -1.0])]
private let tasks = [
    QuadraticTask(curvature: ["a": [1, 2], "b": [0.5, 1, 3]], target: ["a": [0, 1], "b": [2, -1, 0]]),
    QuadraticTask(curvature: ["a": [3, 1], "b": [1, 1, 1]], target: ["a": [-1, 4], "b": [0, 0, 5]]),
    QuadraticTask(curvature: ["a": [2, 2], "b": [2, 0.5, 1]], target: ["a": [3, -3], "b": [-2, 1, 1]]),
]

/// True when every tensor of `params` equals `expected` (same names) to 1e-12.
private func matches(_ params: Parameters, _ expected: [String: [Double]]) -> Bool {
    params.count == expected.count && params.allSatisfy { name, tensor in
        guard let values = expected[name], values.count == tensor.scalarCount else { return false }
        return zip(tensor.scalars, values).allSatisfy { abs($0 - $1) < 1e-12 * max(1, abs($1)) }
    }
}

/// serial: φ + ε (U^k(φ) − φ) for k = 1 and 3, moving towards the adapted parameters.
@Test(.graded, arguments: [1, 3]) func serialPart_movesTowardsTheAdaptedParameters(steps: Int) throws {
    let inner = try InnerLoop(steps: steps, stepSize: 0.1, step: referenceStep)
    let task = tasks[0]
    let updated = try reptileStep(phi, taskCost: task.cost, inner: inner, outerStepSize: 0.3)
    let adapted = task.adapted(phi, steps: steps, eta: 0.1)
    var expected: [String: [Double]] = [:]
    for name in ["a", "b"] {
        expected[name] = zip(phi.require(name).scalars, adapted[name]!).map { start, end in start + 0.3 * (end - start) }
    }
    #expect(matches(updated, expected))
}

/// batched: φ + β (1/n) Σ (W_i − φ), every task adapted from φ itself.
@Test(.graded) func batchedPart_averagesMovesOfTasksEachAdaptedFromPhi() throws {
    let inner = try InnerLoop(steps: 2, stepSize: 0.1, step: referenceStep)
    let updated = try reptileBatchedStep(phi, taskCosts: tasks.map { $0.cost }, inner: inner, outerStepSize: 0.5)
    let adapted = tasks.map { $0.adapted(phi, steps: 2, eta: 0.1) }
    var expected: [String: [Double]] = [:]
    for name in ["a", "b"] {
        let start = phi.require(name).scalars
        expected[name] = start.indices.map { i in
            start[i] + 0.5 * adapted.map { $0[name]![i] - start[i] }.reduce(0, +) / Double(tasks.count)
        }
    }
    #expect(matches(updated, expected))
}

/// anil: only the head moves (exactly as k reference steps on the head), the body is the very
/// same values, and an outer gradient through the adaptation is the second-order one.
@Test(.graded) func anilPart_adaptsOnlyTheHeadAndStaysDifferentiable() throws {
    var generator = SeededGenerator(seed: 4004)
    let params: Parameters = [
        "body": Tensor.randomNormal([2, 3], standardDeviation: 0.5, generator: &generator),
        "head": Tensor.randomNormal([3, 1], standardDeviation: 0.5, generator: &generator),
    ]
    let inputs = Tensor.randomNormal([6, 2], generator: &generator)
    let targets = Tensor.randomNormal([6, 1], generator: &generator)
    let queryInputs = Tensor.randomNormal([5, 2], generator: &generator)
    let queryTargets = Tensor.randomNormal([5, 1], generator: &generator)
    func loss(_ p: Parameters, _ x: Tensor, _ y: Tensor) -> Tensor {
        meanSquaredError(matmul(tanh(matmul(x, p.require("body"))), p.require("head")), y)
    }
    let supportCost = { (p: Parameters) in loss(p, inputs, targets) }
    let inner = try InnerLoop(steps: 3, stepSize: 0.2, step: referenceStep)

    /// The reference: three steps on the head alone, the body held as given.
    func referenceAdapt(_ p: Parameters) -> Parameters {
        var head = p.selecting(["head"])
        for _ in 0..<3 { head = head - 0.2 * grad { (h: Parameters) in supportCost(p.merging(h)) }(head) }
        return p.merging(head)
    }
    let adapted = try anilAdapt(params, headNames: ["head"], cost: supportCost, inner: inner)
    let expected = referenceAdapt(params)
    #expect(adapted.map(\.0) == params.map(\.0), "the names or their order changed")
    #expect(adapted.require("body").scalars == params.require("body").scalars, "the body moved")
    #expect(zip(adapted.require("head").scalars, expected.require("head").scalars).allSatisfy { abs($0 - $1) < 1e-12 })

    var failure: (any Error)?
    let metaGradient = grad { (p: Parameters) -> Tensor in
        do { return loss(try anilAdapt(p, headNames: ["head"], cost: supportCost, inner: inner), queryInputs, queryTargets) } catch {
            failure = error
            return p.squaredNorm() * 0
        }
    }(params)
    if let failure { throw failure }
    let expectedGradient = grad { (p: Parameters) in loss(referenceAdapt(p), queryInputs, queryTargets) }(params)
    for (name, tensor) in expectedGradient {
        #expect(zip(metaGradient.require(name).scalars, tensor.scalars).allSatisfy { abs($0 - $1) < 1e-10 },
                "the meta-gradient of \(name) is not the second-order one")
    }
}
