import Testing
import Foundation
import Autodiff
import MetaLearning

@Suite("Gaussian policy and the REINFORCE estimator")
struct RLPolicyGradientTests {
    @Test("log π(a|s) equals the closed form of a diagonal Gaussian log-density")
    func logProbability() {
        var generator = SeededGenerator(seed: 11)
        let policy = GaussianPolicy(hiddenSizes: [5])
        var parameters = policy.initialParameters(generator: &generator, logStandardDeviation: 0)
        parameters["log_std"] = Tensor([-0.7, 0.4])
        let states = Tensor(rows: [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.0]])
        let actions = Tensor(rows: [[0.05, 0.2], [-0.1, 0.0], [0.3, -0.3]])
        let mu = policy.mean(parameters, states: states).scalars
        let got = policy.logProbability(parameters, states: states, actions: actions).scalars
        for row in 0..<3 {
            var expected = 0.0
            for (d, logSigma) in [-0.7, 0.4].enumerated() {
                let sigma = exp(logSigma), a = actions.scalars[2 * row + d], m = mu[2 * row + d]
                expected += log(1 / (sigma * (2 * Double.pi).squareRoot()) * exp(-(a - m) * (a - m) / (2 * sigma * sigma)))
            }
            #expect(abs(got[row] - expected) < 1e-12)
        }
    }

    @Test("a bounded policy's mean is m · tanh of the network output, inside the action box")
    func boundedMean() {
        var generator = SeededGenerator(seed: 12)
        let free = GaussianPolicy(hiddenSizes: [4])
        let bounded = GaussianPolicy(hiddenSizes: [4], meanBound: 0.1)
        var parameters = free.initialParameters(generator: &generator, logStandardDeviation: 0)
        parameters["layer2.weight"] = parameters.require("layer2.weight") * 50  // push the raw outputs far outside the box
        let states = Tensor(rows: [[0.4, -0.4], [-0.5, 0.2]])
        let raw = free.mean(parameters, states: states).scalars
        let squashed = bounded.mean(parameters, states: states).scalars
        #expect(raw.contains { abs($0) > 0.5 })
        #expect(zip(raw, squashed).allSatisfy { abs($1 - 0.1 * Foundation.tanh($0)) < 1e-12 })
    }

    @Test("the leave-one-out baseline subtracts the mean of the other trajectories' returns-to-go")
    func leaveOneOutBaseline() {
        let batch = TrajectoryBatch(tasks: 1, trajectoriesPerTask: 3, horizon: 1,
                                    states: .zeros([1, 3, 2]), actions: .zeros([1, 3, 2]), rewards: [-1, -2, -6],
                                    paths: Array(repeating: [.zero, .zero], count: 3))
        let estimator = PolicyGradient(discount: 1, baseline: .timeMeanLeaveOneOut, normalizesAdvantages: false)
        // Others' means: (-2 - 6)/2 = -4, (-1 - 6)/2 = -3.5, (-1 - 2)/2 = -1.5.
        let expected: [Double] = [-1 - (-4), -2 - (-3.5), -6 - (-1.5)]
        #expect(estimator.advantages(batch, dtype: .float64).scalars == expected)
        let normalized = PolicyGradient(discount: 1, baseline: .none, normalizesAdvantages: true).advantages(batch, dtype: .float64).scalars
        #expect(abs(normalized.reduce(0, +)) < 1e-9)
        #expect(abs(normalized.map { $0 * $0 }.reduce(0, +) / 3 - 1) < 1e-6)
    }

    /// One-step bandit: a ~ 𝒩(μ, σ² I) in the plane, r(a) = -‖a - c‖², so
    /// E[r] = -(‖μ - c‖² + 2σ²), ∂E/∂μ = -2(μ - c), ∂E/∂log σ_d = -2σ_d².
    @Test("the policy gradient of a one-step bandit matches the analytic gradient within Monte-Carlo error")
    func unbiasedOnBandit() {
        let mean = [0.3, -0.1], target = [-0.2, 0.25], logStd = -0.5
        let (policy, parameters) = constantPolicy(mean: mean, logStd: logStd)
        let n = 20_000
        var generator = SeededGenerator(seed: 21)
        let actions = policy.sampleActions(parameters.tiled(for: 1), states: .zeros([1, n, 2]), generator: &generator)
        let a = actions.scalars
        let rewards = (0..<n).map { k in -((a[2 * k] - target[0]) * (a[2 * k] - target[0]) + (a[2 * k + 1] - target[1]) * (a[2 * k + 1] - target[1])) }
        let batch = TrajectoryBatch(tasks: 1, trajectoriesPerTask: n, horizon: 1, states: .zeros([1, n, 2]), actions: actions,
                                    rewards: rewards, paths: Array(repeating: [.zero, .zero], count: n))
        let estimator = PolicyGradient(discount: 1, baseline: .timeMeanLeaveOneOut, normalizesAdvantages: false)
        // ∇J ≈ -H ∇L with H = 1 (the surrogate is a mean over steps).
        let estimate = grad { p in estimator.surrogateLosses(policy: policy, parameters: p, batch: batch).sum() }(parameters.tiled(for: 1))
            .map { -$0 }
        let sigma = exp(logStd)
        let advantages = estimator.advantages(batch, dtype: .float64).scalars
        for d in 0..<2 {
            // Per-sample terms of the estimator, for its standard error.
            let meanTerms = (0..<n).map { k in (a[2 * k + d] - mean[d]) / (sigma * sigma) * advantages[k] }
            let logStdTerms = (0..<n).map { k in ((a[2 * k + d] - mean[d]) * (a[2 * k + d] - mean[d]) / (sigma * sigma) - 1) * advantages[k] }
            for (name, terms, analytic) in [("layer1.bias", meanTerms, -2 * (mean[d] - target[d])), ("log_std", logStdTerms, -2 * sigma * sigma)] {
                let average = terms.reduce(0, +) / Double(n)
                let standardError = (terms.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(n - 1) / Double(n)).squareRoot()
                let value = estimate.require(name).scalars[d]
                #expect(abs(value - average) < 1e-9, "\(name)[\(d)]: autodiff \(value) vs per-sample mean \(average)")
                #expect(abs(value - analytic) < 4 * standardError, "\(name)[\(d)]: \(value) vs analytic \(analytic) ± \(standardError)")
                #expect(standardError < 0.1 * abs(analytic), "\(name)[\(d)]: the check is too loose to fail")
            }
        }
        // The mean does not depend on the state here: s = 0, so the weight's gradient is exactly zero.
        #expect(estimate.require("layer1.weight").scalars.allSatisfy { $0 == 0 })
    }
}
