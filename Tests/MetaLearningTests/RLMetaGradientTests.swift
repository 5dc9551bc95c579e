import Testing
import Foundation
import Autodiff
import MetaLearning

@Suite("MAML-RL meta-gradient")
struct RLMetaGradientTests {
    /// A tiny learner in Double, with its trajectories sampled once (fixed random numbers).
    static func fixture() throws -> (MAMLRL, Parameters, MAMLRL.Rollouts) {
        var configuration = MAMLRLConfiguration()
        configuration.hiddenSizes = [3]
        configuration.horizon = 4
        configuration.trajectoriesPerTask = 3
        configuration.metaBatch = 2
        configuration.innerLearningRate = 0.5
        configuration.initialLogStandardDeviation = -1
        configuration.dtype = .float64
        let learner = try MAMLRL(configuration: configuration)
        var generator = SeededGenerator(seed: 17)
        var theta = learner.initialParameters(generator: &generator)
        theta["layer2.weight"] = theta.require("layer2.weight") * 0.3  // keep the mean actions inside the clip box
        let tasks = [NavigationTask(goal: SIMD2(0.4, -0.3)), NavigationTask(goal: SIMD2(-0.2, 0.45))]
        return (learner, theta, learner.rollouts(theta, tasks: tasks, generator: &generator))
    }

    @Test("the second-order meta-gradient equals finite differences of the meta-objective on fixed trajectories")
    func secondOrderAgainstFiniteDifferences() throws {
        let (learner, theta, rollouts) = try Self.fixture()
        let (loss, gradient) = learner.metaGradient(theta, support: rollouts.support, query: rollouts.query)
        let objective = { (p: Parameters) in learner.metaObjective(p, support: rollouts.support, query: rollouts.query) }
        #expect(abs(loss.scalar - objective(theta).scalar) < 1e-12)
        #expect(gradient.names == theta.names)
        #expect(maxDifference(gradient, grad(objective)(theta)) < 1e-12)
        try checkGradients(objective, at: theta, order: 1, tolerance: 1e-6)
        #expect(gradient.squaredNorm().scalar > 1e-4)
    }

    @Test("the first-order meta-gradient is the query surrogate's gradient at the adapted parameters, and differs from second order")
    func firstOrderDefinition() throws {
        let (learner, theta, rollouts) = try Self.fixture()
        var configuration = learner.configuration
        configuration.order = .first
        let firstOrder = try MAMLRL(configuration: configuration)
        let (_, gradient) = firstOrder.metaGradient(theta, support: rollouts.support, query: rollouts.query)
        // (1/T) Σᵢ ∇L_query,i(θ'ᵢ): differentiate at the (constant) adapted slices and average over tasks.
        let atAdapted = grad { p in
            configuration.policyGradient.surrogateLosses(policy: learner.policy, parameters: p, batch: rollouts.query).mean()
        }(rollouts.adapted)
        let summed = Parameters(theta.map { name, t in (name, atAdapted.require(name).sum(axis: 0).reshaped(t.shape)) })
        #expect(maxDifference(gradient, summed) < 1e-10)
        let (_, secondOrder) = learner.metaGradient(theta, support: rollouts.support, query: rollouts.query)
        #expect(maxDifference(gradient, secondOrder) > 1e-4, "the inner step's Hessian term should matter here")
    }

    @Test("adaptation takes one policy-gradient step per task: θ'ᵢ = θ - α ∇Lᵢ(θ; 𝒟ᵢ)")
    func adaptationStep() throws {
        let (learner, theta, rollouts) = try Self.fixture()
        let surrogate = learner.configuration.policyGradient
        for task in 0..<2 {
            // Task i alone, as a one-task batch.
            let rows = rollouts.support.trajectoriesPerTask * rollouts.support.horizon
            let single = TrajectoryBatch(tasks: 1, trajectoriesPerTask: 3, horizon: 4,
                                         states: rollouts.support.states.sliced(axis: 0, task..<(task + 1)),
                                         actions: rollouts.support.actions.sliced(axis: 0, task..<(task + 1)),
                                         rewards: Array(rollouts.support.rewards[(task * rows)..<((task + 1) * rows)]),
                                         paths: Array(rollouts.support.paths[(task * 3)..<(task * 3 + 3)]))
            let g = grad { p in surrogate.surrogateLosses(policy: learner.policy, parameters: p, batch: single).sum() }(theta.tiled(for: 1))
            for (name, t) in theta {
                let expected = t.scalars.enumerated().map { $0.element - 0.5 * g.require(name).scalars[$0.offset] }
                let got = rollouts.adapted.require(name).sliced(axis: 0, task..<(task + 1)).scalars
                #expect(zip(expected, got).allSatisfy { abs($0 - $1) < 1e-12 }, "\(name) of task \(task)")
            }
        }
    }

    @Test("invalid options are refused with a message naming them")
    func invalidOptions() {
        var configuration = MAMLRLConfiguration()
        configuration.trajectoriesPerTask = 1
        #expect(throws: MAMLRLError.invalidOption(name: "trajectoriesPerTask", value: "1", rule: "must be at least 2 (the baseline leaves one out)")) {
            try MAMLRL(configuration: configuration)
        }
        configuration = MAMLRLConfiguration()
        configuration.innerLearningRate = -1
        do {
            _ = try MAMLRL(configuration: configuration)
            Issue.record("a negative inner learning rate was accepted")
        } catch {
            #expect("\(error)".contains("innerLearningRate = -1.0"))
        }
    }
}
