import Autodiff

/// Trajectories of a meta-batch of navigation tasks: N trajectories of H steps per task, all
/// sampled together (per time step, states `[T, N, 2]` give actions `[T, N, 2]`).
///
/// The recorded states and actions are constants; the policy-gradient surrogate re-evaluates
/// their log-probabilities as a differentiable function of the parameters.
public struct TrajectoryBatch: Sendable {
    /// The number of tasks T.
    public let tasks: Int
    /// The number of trajectories N per task.
    public let trajectoriesPerTask: Int
    /// The number of steps H per trajectory.
    public let horizon: Int
    /// sₜ for every step, `[T, N·H, 2]`; row n·H + t of a task is step t of its trajectory n.
    public let states: Tensor
    /// aₜ as sampled (before clipping), in the same layout as `states`.
    public let actions: Tensor
    /// rₜ, flat in the order (task, trajectory, step).
    public let rewards: [Double]
    /// The visited positions x₀ ... x_H of every trajectory, indexed by task · N + trajectory.
    public let paths: [[SIMD2<Double>]]

    /// A batch from its parts (checked for consistent sizes).
    public init(tasks: Int, trajectoriesPerTask: Int, horizon: Int, states: Tensor, actions: Tensor,
                rewards: [Double], paths: [[SIMD2<Double>]]) {
        let steps = trajectoriesPerTask * horizon
        check(states.shape == [tasks, steps, 2] && actions.shape == [tasks, steps, 2],
              "TrajectoryBatch: states \(states.shape) and actions \(actions.shape) should be [\(tasks), \(steps), 2]")
        check(rewards.count == tasks * steps, "TrajectoryBatch: \(rewards.count) rewards for \(tasks * steps) steps")
        check(paths.count == tasks * trajectoriesPerTask, "TrajectoryBatch: \(paths.count) paths for \(tasks * trajectoriesPerTask) trajectories")
        self.tasks = tasks
        self.trajectoriesPerTask = trajectoriesPerTask
        self.horizon = horizon
        self.states = states
        self.actions = actions
        self.rewards = rewards
        self.paths = paths
    }

    /// Samples N trajectories of H steps in each task with the policy, without recording.
    ///
    /// `parameters` are tiled over the tasks (a leading axis of size T, as `Parameters.tiled(for:)`
    /// makes): slice i is the policy used in task i. Every episode starts at the origin.
    public static func sample(policy: GaussianPolicy, parameters: Parameters, tasks: [NavigationTask],
                              trajectoriesPerTask: Int, horizon: Int, generator: inout SeededGenerator) -> TrajectoryBatch {
        check(!tasks.isEmpty && trajectoriesPerTask > 0 && horizon > 0,
              "TrajectoryBatch.sample: need tasks, trajectories and steps, got \(tasks.count), \(trajectoriesPerTask), \(horizon)")
        let (t, n, h) = (tasks.count, trajectoriesPerTask, horizon)
        let dtype = parameters.tensors[0].dtype
        var positions = [SIMD2<Double>](repeating: NavigationTask.start, count: t * n)
        var paths = positions.map { [$0] }
        // Filled in (task, trajectory, step) order as the steps come in (time-major).
        var stateScalars = [Double](repeating: 0, count: t * n * h * 2)
        var actionScalars = stateScalars
        var rewards = [Double](repeating: 0, count: t * n * h)
        for step in 0..<h {
            let states = Tensor(shape: [t, n, 2], scalars: positions.flatMap { [$0.x, $0.y] }, dtype: dtype)
            let actions = policy.sampleActions(parameters, states: states, generator: &generator).scalars
            for row in 0..<(t * n) {
                let action = SIMD2(actions[2 * row], actions[2 * row + 1])
                let flat = row * h + step
                stateScalars[2 * flat] = positions[row].x
                stateScalars[2 * flat + 1] = positions[row].y
                actionScalars[2 * flat] = action.x
                actionScalars[2 * flat + 1] = action.y
                let (next, reward) = tasks[row / n].step(from: positions[row], action: action)
                positions[row] = next
                rewards[flat] = reward
                paths[row].append(next)
            }
        }
        return TrajectoryBatch(tasks: t, trajectoriesPerTask: n, horizon: h,
                               states: Tensor(shape: [t, n * h, 2], scalars: stateScalars, dtype: dtype),
                               actions: Tensor(shape: [t, n * h, 2], scalars: actionScalars, dtype: dtype),
                               rewards: rewards, paths: paths)
    }

    /// The undiscounted return Σₜ rₜ of every trajectory, indexed by task · N + trajectory.
    public var returns: [Double] {
        (0..<(tasks * trajectoriesPerTask)).map { row in
            rewards[(row * horizon)..<((row + 1) * horizon)].reduce(0, +)
        }
    }

    /// The mean undiscounted return over all trajectories of all tasks.
    public var averageReturn: Double {
        returns.reduce(0, +) / Double(returns.count)
    }

    /// The discounted return-to-go Gₜ = Σ_{t' ≥ t} γ^{t'-t} r_{t'} of every step, in the order of `rewards`.
    public func returnsToGo(discount: Double) -> [Double] {
        var result = rewards
        for row in 0..<(tasks * trajectoriesPerTask) {
            var running = 0.0
            for step in stride(from: horizon - 1, through: 0, by: -1) {
                let flat = row * horizon + step
                running = rewards[flat] + discount * running
                result[flat] = running
            }
        }
        return result
    }
}
