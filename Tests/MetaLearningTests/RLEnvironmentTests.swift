import Testing
import Foundation
import Autodiff
import MetaLearning

/// A policy whose mean action is the constant `mean` (no hidden layer, zero weights) with σ = e^logStd.
func constantPolicy(mean: [Double], logStd: Double, stateSize: Int = 2) -> (GaussianPolicy, Parameters) {
    let policy = GaussianPolicy(hiddenSizes: [], stateSize: stateSize, actionSize: mean.count)
    let parameters: Parameters = ["layer1.weight": .zeros([stateSize, mean.count]),
                                  "layer1.bias": Tensor(mean),
                                  "log_std": .full(logStd, shape: [mean.count])]
    return (policy, parameters)
}

@Suite("2-D navigation environment")
struct RLEnvironmentTests {
    @Test("a step clips each velocity coordinate to [-0.1, 0.1] and rewards minus the new distance to the goal")
    func stepClosedForm() {
        let task = NavigationTask(goal: SIMD2(0.3, -0.4))
        let (position, reward) = task.step(from: SIMD2(0.05, 0.0), action: SIMD2(0.5, -0.03))
        #expect(abs(position.x - 0.15) < 1e-12 && abs(position.y + 0.03) < 1e-12)
        #expect(abs(reward + ((0.15 - 0.3) * (0.15 - 0.3) + (-0.03 + 0.4) * (-0.03 + 0.4)).squareRoot()) < 1e-12)
        #expect(NavigationTask.clipped(SIMD2(-2, 0.07)) == SIMD2(-0.1, 0.07))
        #expect(task.reward(at: task.goal) == 0)
        #expect(abs(task.reward(at: .zero) + 0.5) < 1e-12)
    }

    @Test("goals are uniform in [-0.5, 0.5]² (range, mean and variance 1/12)")
    func goalDistribution() {
        var generator = SeededGenerator(seed: 7)
        let goals = NavigationTask.sample(count: 4000, generator: &generator).map(\.goal)
        #expect(goals.allSatisfy { NavigationTask.goalRange.contains($0.x) && NavigationTask.goalRange.contains($0.y) })
        let xs = goals.map(\.x) + goals.map(\.y)
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1.0 / 12) < 0.005)
    }

    @Test("rollouts start at the origin, follow x' = x + clip(a), and record r = -‖x' - g‖")
    func rolloutDynamics() {
        let (policy, parameters) = constantPolicy(mean: [0.08, -0.02], logStd: -2)
        let tasks = [NavigationTask(goal: SIMD2(0.4, 0.1)), NavigationTask(goal: SIMD2(-0.3, -0.2))]
        var generator = SeededGenerator(seed: 3)
        let batch = TrajectoryBatch.sample(policy: policy, parameters: parameters.tiled(for: 2), tasks: tasks,
                                           trajectoriesPerTask: 3, horizon: 5, generator: &generator)
        let states = batch.states.scalars, actions = batch.actions.scalars
        for row in 0..<6 {
            var expected = SIMD2<Double>(0, 0)
            #expect(batch.paths[row].first == expected)
            for step in 0..<5 {
                let flat = row * 5 + step
                #expect(SIMD2(states[2 * flat], states[2 * flat + 1]) == expected)
                expected += NavigationTask.clipped(SIMD2(actions[2 * flat], actions[2 * flat + 1]))
                #expect(abs(batch.rewards[flat] - tasks[row / 3].reward(at: expected)) < 1e-12)
                #expect(batch.paths[row][step + 1] == expected)
            }
        }
        // The sampled actions scatter around the mean with σ = e⁻² ≈ 0.135: not all clipped, not all equal.
        #expect(Set(actions).count == actions.count)
    }

    @Test("returns-to-go satisfy Gₜ = rₜ + γ Gₜ₊₁ and the undiscounted return is Σ rₜ")
    func returnsToGo() {
        let (policy, parameters) = constantPolicy(mean: [0.05, 0.05], logStd: -1)
        var generator = SeededGenerator(seed: 5)
        let batch = TrajectoryBatch.sample(policy: policy, parameters: parameters.tiled(for: 1),
                                           tasks: [NavigationTask(goal: SIMD2(0.2, 0.2))],
                                           trajectoriesPerTask: 2, horizon: 4, generator: &generator)
        let g = batch.returnsToGo(discount: 0.9)
        for row in 0..<2 {
            let r = Array(batch.rewards[(row * 4)..<(row * 4 + 4)])
            #expect(abs(g[row * 4 + 3] - r[3]) < 1e-12)
            for t in 0..<3 { #expect(abs(g[row * 4 + t] - (r[t] + 0.9 * g[row * 4 + t + 1])) < 1e-12) }
            #expect(abs(batch.returns[row] - r.reduce(0, +)) < 1e-12)
            #expect(abs(batch.returnsToGo(discount: 1)[row * 4] - r.reduce(0, +)) < 1e-12)
        }
    }
}
