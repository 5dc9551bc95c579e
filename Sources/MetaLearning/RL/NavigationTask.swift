import Autodiff

/// One task of the 2-D point-navigation benchmark of the MAML paper: a point agent starts at
/// the origin and must reach a goal in the plane.
///
/// Dynamics and reward of one step, with the action a clipped to the maximum speed:
///
///     xₜ₊₁ = xₜ + clip(aₜ, -0.1, 0.1)          (each coordinate clipped on its own)
///     rₜ   = -‖xₜ₊₁ - g‖                        (minus the distance to the goal after moving)
///
/// Goals are drawn uniformly from the square [-0.5, 0.5]².
public struct NavigationTask: Sendable, Equatable {
    /// The goal g.
    public let goal: SIMD2<Double>

    /// The largest distance travelled along each axis in one step.
    public static let maximumSpeed = 0.1
    /// The interval each goal coordinate is drawn from.
    public static let goalRange: ClosedRange<Double> = -0.5...0.5
    /// Where every episode starts.
    public static let start = SIMD2<Double>(0, 0)

    /// A task with goal `goal`.
    public init(goal: SIMD2<Double>) { self.goal = goal }

    /// A task whose goal is uniform in [-0.5, 0.5]².
    public static func sample(generator: inout SeededGenerator) -> NavigationTask {
        let x = generator.uniform(goalRange.lowerBound, goalRange.upperBound)
        let y = generator.uniform(goalRange.lowerBound, goalRange.upperBound)
        return NavigationTask(goal: SIMD2(x, y))
    }

    /// `count` tasks sampled one after the other.
    public static func sample(count: Int, generator: inout SeededGenerator) -> [NavigationTask] {
        (0..<count).map { _ in sample(generator: &generator) }
    }

    /// The velocity actually applied: each coordinate of `action` clipped to [-0.1, 0.1].
    public static func clipped(_ action: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(Swift.min(Swift.max(action.x, -maximumSpeed), maximumSpeed),
              Swift.min(Swift.max(action.y, -maximumSpeed), maximumSpeed))
    }

    /// The reward for being at `position`: r = -‖position - g‖.
    public func reward(at position: SIMD2<Double>) -> Double {
        let d = position - goal
        return -(d.x * d.x + d.y * d.y).squareRoot()
    }

    /// One step: x' = x + clip(a), r = -‖x' - g‖.
    public func step(from position: SIMD2<Double>, action: SIMD2<Double>) -> (position: SIMD2<Double>, reward: Double) {
        let next = position + Self.clipped(action)
        return (next, reward(at: next))
    }
}
