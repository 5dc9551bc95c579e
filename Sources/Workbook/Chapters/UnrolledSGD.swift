import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData

/// The unrolled-SGD notebook's experiment: a 1-32-32-1 tanh network meta-learns an initialization
/// w₀ such that T plain gradient steps on 4 samples of sin(a·x) fit it, with the L1 loss, one
/// task per outer step, SGD on w₀ and optionally Adam on a learned inner rate α.
struct UnrolledSGD {
    /// The network of the notebook.
    let model = MLP(sizes: [1, 32, 32, 1], activation: .tanh)
    /// Inner gradient steps T.
    let innerSteps: Int
    /// Fixed α, or `.learnedScalar` (stored as `inner.lr`).
    let innerRate: InnerLearningRate
    /// Samples per task for the inner loop and for the outer (validation) loss.
    var samples = 4
    /// Second order differentiates through the inner gradients; first order treats them as constants.
    var order: GradientOrder = .second
    /// The outer SGD step size on w₀.
    let outerLearningRate = 1e-2
    /// The outer Adam step size on a learned α.
    let rateLearningRate = 1e-4

    /// The notebook's initialization: first-layer weights ~ U(-1, 1), the others ~ U(±1/√32),
    /// biases zero; plus α when it is learned.
    func initialParameters(generator: inout SeededGenerator, alpha: Double) -> Parameters {
        var pairs: [(String, Tensor)] = []
        for layer in 1...model.layerCount {
            let (fanIn, fanOut) = (model.sizes[layer - 1], model.sizes[layer])
            let bound = layer == 1 ? 1 : 1 / Double(fanIn).squareRoot()
            pairs.append(("layer\(layer).weight", .randomUniform([fanIn, fanOut], low: -bound, high: bound, generator: &generator)))
            pairs.append(("layer\(layer).bias", .zeros([fanOut])))
        }
        return Parameters(pairs).merging(innerRate.initialRates(for: Parameters(pairs), steps: innerSteps, alpha: alpha))
    }

    /// One task of `family`: L1 losses on `samples` inner and `samples` outer points.
    func sampleTask(family: SineFrequencyFamily, generator: inout SeededGenerator) -> (task: RegressionTask, meta: MetaTask) {
        let task = family.sampleTask(generator: &generator)
        let (x, y) = family.sampleData(for: task, count: samples, generator: &generator)
        let (vx, vy) = family.sampleData(for: task, count: samples, generator: &generator)
        let model = self.model
        return (task, MetaTask(supportLoss: { meanAbsoluteError(model($0, x), y) },
                               queryLoss: { meanAbsoluteError(model($0, vx), vy) }))
    }

    /// What training leaves: the parameters, the outer loss per iteration, and (α learned)
    /// α and ∂L/∂α at each iteration.
    struct Outcome {
        let parameters: Parameters
        let outerLoss: [Double]
        let alpha: [Double]
        let alphaGradient: [Double]
    }

    /// Meta-trains for `iterations` outer steps from `start` with the library's MAML meta-gradients;
    /// `progress` receives a line now and then.
    func train(from start: Parameters, iterations: Int, seed: UInt64, progress: (String) -> Void) -> Outcome {
        var generator = SeededGenerator(seed: seed)
        let maml = MAML(innerLoop: InnerLoop(steps: innerSteps, learningRate: innerRate), order: order)
        let sgd = SGD(learningRate: outerLearningRate)
        let adam = Adam(learningRate: rateLearningRate, biasCorrection: true)
        let rateNames = innerRate.metaParameterNames(for: model.parameterNames, steps: innerSteps)
        var weights = InnerLoop.modelParameters(start)
        var rates = start.selecting(rateNames)
        var adamState = adam.initialState(for: rates)
        var outcome = Outcome(parameters: start, outerLoss: [], alpha: [], alphaGradient: [])
        var outerLoss: [Double] = [], alpha: [Double] = [], alphaGradient: [Double] = []
        for iteration in 1...iterations {
            let (_, task) = sampleTask(family: SineFrequencyFamily(), generator: &generator)
            // The meta-gradient runs back through all T inner steps, their gradients included.
            let (loss, gradient) = maml.metaGradient(weights.merging(rates), tasks: [task])
            weights = sgd.step(weights, InnerLoop.modelParameters(gradient), SGD.State()).0.detached()
            if !rateNames.isEmpty {
                let rateGradient = gradient.selecting(rateNames)
                alphaGradient.append(rateGradient.tensors[0].scalar)
                (rates, adamState) = adam.step(rates, rateGradient, adamState)
                rates = rates.detached()
                alpha.append(rates.tensors[0].scalar)
            }
            outerLoss.append(loss.scalar)
            if iteration % max(1, iterations / 10) == 0 {
                let recent = outerLoss.suffix(max(1, iterations / 10))
                progress(String(format: "iteration %d/%d, mean outer L1 loss of the last %d: %.4f", iteration, iterations,
                                recent.count, recent.reduce(0, +) / Double(recent.count))
                         + (alpha.last.map { String(format: ", α = %.5f", $0) } ?? ""))
            }
        }
        outcome = Outcome(parameters: weights.merging(rates), outerLoss: outerLoss, alpha: alpha, alphaGradient: alphaGradient)
        return outcome
    }

    /// Adapts `parameters` with T steps on `count` samples of `task` and returns the fit on `grid`
    /// and its mean absolute error there.
    func adaptedFit(_ parameters: Parameters, task: RegressionTask, supportX: [Double], grid: [Double]) -> (fit: [Double], error: Double) {
        let x = Tensor(shape: [supportX.count, 1], scalars: supportX)
        let y = Tensor(shape: [supportX.count, 1], scalars: task(supportX))
        let model = self.model
        let adapted = withFirstOrderGradients {
            InnerLoop(steps: innerSteps, learningRate: fixedRate(parameters))
                .adapt(parameters.detached(), supportLoss: { meanAbsoluteError(model($0, x), y) })
        }
        let fit = withoutRecording { model(InnerLoop.modelParameters(adapted).detached(), Tensor(shape: [grid.count, 1], scalars: grid)) }.scalars
        let truth = task(grid)
        return (fit, zip(fit, truth).map { abs($0 - $1) }.reduce(0, +) / Double(grid.count))
    }

    /// The inner rate as a fixed number (a learned α is read from the parameters).
    func fixedRate(_ parameters: Parameters) -> InnerLearningRate {
        if case .learnedScalar = innerRate { return .fixed(parameters.require("inner.lr").scalar) }
        return innerRate
    }

    /// The mean over `count` new tasks of `family` of the adapted fit's error on a dense grid.
    func meanAdaptedError(_ parameters: Parameters, family: SineFrequencyFamily, count: Int, seed: UInt64) -> Double {
        var generator = SeededGenerator(seed: seed)
        let grid = Self.grid
        let errors = (0..<count).map { _ -> Double in
            let task = family.sampleTask(generator: &generator)
            let x = family.sampleInputs(count: samples, generator: &generator)
            return adaptedFit(parameters, task: task, supportX: x, grid: grid).error
        }
        return errors.reduce(0, +) / Double(count)
    }

    /// 126 points from −2π to 2π in steps of 0.1, as the notebook evaluates.
    static let grid = (0..<126).map { -2 * Double.pi + 0.1 * Double($0) }
}
