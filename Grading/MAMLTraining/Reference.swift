import Autodiff
import GradingRuntime

/// The judge's own MAML on the exercise's regression network, written from the handout:
///
///     f(x) = h_{L−1} W_L + b_L,  hₗ = relu(hₗ₋₁ Wₗ + bₗ),  L(θ) = mean (f(x) − y)²,
///     adapt(L, θ, K, η) = θ_K with θₖ₊₁ = θₖ − η ∇L(θₖ),
///     meta(θ) = L_Q(adapt(L_S, θ, K, η)),   θ ← θ − β ∇meta(θ).
enum Reference {
    /// The network's output for inputs [n, 1]; `params` holds W1, b1, W2, b2, … in order.
    static func network(_ params: Parameters, _ inputs: Tensor) -> Tensor {
        let layers = params.count / 2
        var hidden = inputs
        for layer in 1...layers {
            hidden = matmul(hidden, params.require("W\(layer)")) + params.require("b\(layer)")
            if layer < layers { hidden = relu(hidden) }
        }
        return hidden
    }

    /// The mean squared error of the network on one set.
    static func cost(_ params: Parameters, _ inputs: Tensor, _ targets: Tensor) -> Tensor {
        let residual = network(params, inputs) - targets
        return (residual * residual).sum() / Double(targets.scalarCount)
    }

    /// K differentiable gradient steps on `cost` from `params`.
    static func adapt(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, _ numSteps: Int, _ stepSize: Double) -> Parameters {
        var adapted = params
        for _ in 0..<numSteps { adapted = adapted - stepSize * grad(cost)(adapted) }
        return adapted
    }

    /// meta(θ) for one task: the query cost after adapting on the support set.
    static func metaObjective(_ params: Parameters, _ task: Task, _ settings: Settings) -> Tensor {
        let adapted = adapt({ cost($0, task.supportInputs, task.supportTargets) }, params, settings.numSteps, settings.innerStepSize)
        return cost(adapted, task.queryInputs, task.queryTargets)
    }

    /// True when meta steps from `params` on `tasks` in turn keep every loss finite and every
    /// parameter within 10 in size, before and after each step (and inside each inner loop).
    static func isTame(from params: Parameters, on tasks: [Task], _ settings: Settings) -> Bool {
        func bounded(_ p: Parameters) -> Bool { flat(p).allSatisfy { $0.isFinite && abs($0) <= 10 } }
        var theta = params
        for task in tasks {
            var inner = theta
            for _ in 0..<settings.numSteps {
                inner = inner - settings.innerStepSize * grad { cost($0, task.supportInputs, task.supportTargets) }(inner)
                guard bounded(inner) else { return false }
            }
            let (next, loss) = metaStep(theta, task, settings)
            guard loss.isFinite, bounded(next) else { return false }
            theta = next
        }
        return bounded(params)
    }

    /// One meta step: θ − β ∇meta(θ), and meta(θ).
    static func metaStep(_ params: Parameters, _ task: Task, _ settings: Settings) -> (params: Parameters, loss: Double) {
        let (value, gradient) = valueAndGrad { metaObjective($0, task, settings) }(params)
        return (params - settings.metaStepSize * gradient, value.scalar)
    }
}

/// One regression task as data: support and query columns [n, 1].
struct Task {
    /// Support inputs, [n, 1].
    let supportInputs: Tensor
    /// Support targets, [n, 1].
    let supportTargets: Tensor
    /// Query inputs, [m, 1].
    let queryInputs: Tensor
    /// Query targets, [m, 1].
    let queryTargets: Tensor

    /// A piecewise-constant task as the handout describes it: six levels (standard normal, two
    /// decimals) on the unit intervals of [−3, 3], inputs uniform on [−3, 3] (two decimals),
    /// 4 to 10 support and 4 to 10 query points.
    static func draw(_ random: inout SeededGenerator) -> Task {
        let levels = (0..<6).map { _ in (random.normal() * 100).rounded() / 100 }
        func points(_ count: Int) -> (Tensor, Tensor) {
            let inputs = (0..<count).map { _ in random.rounded(-3, 3, digits: 2) }
            let targets = inputs.map { levels[min(Int(($0 + 3).rounded(.down)), 5)] }
            return (Tensor(shape: [count, 1], scalars: inputs), Tensor(shape: [count, 1], scalars: targets))
        }
        let (support, query) = (points(random.int(in: 4...10)), points(random.int(in: 4...10)))
        return Task(supportInputs: support.0, supportTargets: support.1, queryInputs: query.0, queryTargets: query.1)
    }

    /// The support loss at θ.
    func supportCost(_ params: Parameters) -> Double { Reference.cost(params, supportInputs, supportTargets).scalar }

    /// The task as inputs.
    var record: Record {
        ["supportInputs": .of(supportInputs), "supportTargets": .of(supportTargets),
         "queryInputs": .of(queryInputs), "queryTargets": .of(queryTargets)]
    }

    /// The task read back.
    init(_ record: Record) throws {
        self.init(supportInputs: try record.tensor("supportInputs"), supportTargets: try record.tensor("supportTargets"),
                  queryInputs: try record.tensor("queryInputs"), queryTargets: try record.tensor("queryTargets"))
    }

    /// A task from its four columns.
    init(supportInputs: Tensor, supportTargets: Tensor, queryInputs: Tensor, queryTargets: Tensor) {
        (self.supportInputs, self.supportTargets, self.queryInputs, self.queryTargets) = (supportInputs, supportTargets, queryInputs, queryTargets)
    }

    /// The task in words.
    var description: String {
        "support x = \(Rendering.numbers(supportInputs.scalars)), y = \(Rendering.numbers(supportTargets.scalars)); "
            + "query x = \(Rendering.numbers(queryInputs.scalars)), y = \(Rendering.numbers(queryTargets.scalars))"
    }
}

/// K, η, β and the number of iterations.
struct Settings {
    /// K.
    var numSteps: Int
    /// η.
    var innerStepSize: Double
    /// β.
    var metaStepSize: Double
    /// Outer iterations (for a training run).
    var iterations: Int

    /// Drawn settings: K from 1 to 3, η and β as below (never equal), no iterations.
    static func draw(_ random: inout SeededGenerator) -> Settings {
        Settings(numSteps: random.int(in: 1...3), innerStepSize: drawInnerStepSize(&random), metaStepSize: drawMetaStepSize(&random), iterations: 0)
    }

    /// η in [0.05, 0.3].
    static func drawInnerStepSize(_ random: inout SeededGenerator) -> Double { random.rounded(0.05, 0.3) }

    /// β in [0.005, 0.04].
    static func drawMetaStepSize(_ random: inout SeededGenerator) -> Double { random.rounded(0.005, 0.04) }

    /// The settings as inputs.
    var record: Record {
        ["numSteps": .integer(numSteps), "innerStepSize": .number(innerStepSize), "metaStepSize": .number(metaStepSize),
         "iterations": .integer(iterations)]
    }

    /// The settings read back.
    init(_ record: Record) throws {
        self.init(numSteps: try record.integer("numSteps"), innerStepSize: try record.number("innerStepSize"),
                  metaStepSize: try record.number("metaStepSize"), iterations: try record.integer("iterations"))
    }

    /// Settings from their numbers.
    init(numSteps: Int, innerStepSize: Double, metaStepSize: Double, iterations: Int) {
        (self.numSteps, self.innerStepSize, self.metaStepSize, self.iterations) = (numSteps, innerStepSize, metaStepSize, iterations)
    }

    /// The settings in words.
    var description: String {
        "K = \(numSteps), η = \(Rendering.number(innerStepSize)), β = \(Rendering.number(metaStepSize))"
    }
}

/// A drawn network for `Reference.network`: widths [1, h, 1] or [1, h, h, 1] with h from 3 to 8,
/// weights normal (deviation 0.5) and biases normal (deviation 0.1), two decimals.
func drawNetwork(_ random: inout SeededGenerator) -> Parameters {
    let hidden = random.int(in: 3...8)
    let widths = random.int(in: 0...1) == 0 ? [1, hidden, 1] : [1, hidden, hidden, 1]
    var pairs: [(String, Tensor)] = []
    for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
        pairs.append(("W\(layer + 1)", Tensor(shape: [fanIn, fanOut], scalars: (0..<fanIn * fanOut).map { _ in (random.normal(standardDeviation: 0.5) * 100).rounded() / 100 })))
        pairs.append(("b\(layer + 1)", Tensor((0..<fanOut).map { _ in (random.normal(standardDeviation: 0.1) * 100).rounded() / 100 })))
    }
    return Parameters(pairs)
}

/// The network's shape in words ("widths [1, 5, 5, 1]").
func widths(_ params: Parameters) -> String {
    let weights = (1...(params.count / 2)).map { params.require("W\($0)").shape }
    return "a ReLU network of widths \([1] + weights.map { $0[1] })"
}

/// `draw()` repeated until it differs from `old`, so a case meant to change a number does change it.
func drawnAgain<T: Equatable>(_ old: T, _ draw: () -> T) -> T {
    var value = draw()
    while value == old { value = draw() }
    return value
}

/// Every element of a parameter collection, in order.
func flat(_ parameters: Parameters) -> [Double] { parameters.tensors.flatMap(\.scalars) }
