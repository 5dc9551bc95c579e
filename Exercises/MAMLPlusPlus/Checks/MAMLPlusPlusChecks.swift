import Autodiff
import MAMLPlusPlus
import NeuralNetworks
import TaskData
import Testing

/// The 1 → 4 → 1 tanh network of the line-fitting checks.
private let net = MLP(sizes: [1, 4, 1], activation: .tanh)

/// The task of fitting y = slope·x + offset, with four support and four query points.
private func lineTask(slope: Double, offset: Double) -> MetaTask {
    let loss = { (x: [Double]) -> Loss in
        let inputs = Tensor(shape: [x.count, 1], scalars: x)
        let targets = Tensor(shape: [x.count, 1], scalars: x.map { slope * $0 + offset })
        return { params in meanSquaredError(net(params, inputs), targets) }
    }
    return MetaTask(supportLoss: loss([-1, -0.3, 0.4, 1]), queryLoss: loss([-0.8, -0.1, 0.2, 0.9]))
}

/// Visible sanity check: one learned rate per model parameter and inner step.
@Test func oneInitialRatePerParameterAndStep() throws {
    var generator = SeededGenerator(seed: 3)
    let model = net.initialize(generator: &generator)
    let rates = try initialInnerRates(for: model, steps: 2, rate: 0.1)
    #expect(rates.count == model.count * 2)
    #expect(rates[innerRateName(of: "layer2.bias", step: 2)]?.scalar == 0.1)
}

/// Visible sanity check: at epoch 0 the importance weights are uniform and sum to 1.
@Test func weightsStartUniform() throws {
    let weights = try importanceWeights(epoch: 0, schedule: try MultiStepLossSchedule(steps: 4, annealEpochs: 10))
    #expect(weights == [0.25, 0.25, 0.25, 0.25])
}

/// Visible sanity check: the outer rate starts at β₀ and ends at β_min.
@Test func outerRateStartsAtTheInitialValue() throws {
    let schedule = try OuterRateSchedule(initial: 0.01, minimum: 0.001, totalEpochs: 20)
    let (first, last) = (try outerLearningRate(epoch: 0, schedule: schedule), try outerLearningRate(epoch: 20, schedule: schedule))
    #expect(abs(first - 0.01) < 1e-15, "at epoch 0 the rate should be β₀ = 0.01, got \(first)")
    #expect(abs(last - 0.001) < 1e-15, "at epoch T = 20 the rate should be β_min = 0.001, got \(last)")
}

/// Visible sanity check: a handful of MAML++ training steps (first order, then second order)
/// lower the meta-objective on line-fitting tasks.
@Test func fewTrainingStepsLowerTheMetaLoss() throws {
    var generator = SeededGenerator(seed: 5)
    let settings = MAMLPlusPlusSettings(
        multiStepLoss: try MultiStepLossSchedule(steps: 2, annealEpochs: 4),
        outerRate: try OuterRateSchedule(initial: 0.05, minimum: 0.005, totalEpochs: 8),
        order: try DerivativeOrderSchedule(firstOrderEpochs: 3))
    var meta = try initialMetaParameters(model: net.initialize(generator: &generator), settings: settings, innerRate: 0.1)
    let tasks = [lineTask(slope: 1, offset: 0.2), lineTask(slope: -0.5, offset: 0.1), lineTask(slope: 0.3, offset: -0.4)]
    var losses: [Double] = []
    for epoch in 0..<8 {
        let step = try metaTrainingStep(meta, tasks: tasks, epoch: epoch, settings: settings)
        losses.append(step.loss)
        meta = step.meta
    }
    #expect(losses.last! < losses.first!, "meta-losses over the steps: \(losses)")
}

/// Visible sanity check: on a few-shot glyph episode, two small inner steps at the initial learned
/// rates lower the support loss of a small conv net.
@Test func innerStepsLowerAnEpisodesSupportLoss() throws {
    var generator = SeededGenerator(seed: 11)
    let conv = ConvNet(ways: 3, filters: 4, blocks: 2)
    let sampler = try EpisodeSampler(dataset: SyntheticGlyphs.dataset(classes: 4, drawingsPerClass: 4),
                                     ways: 3, shots: 2, queries: 2, dtype: .float64)
    let task = MetaTask(episode: sampler.sample(generator: &generator), model: { conv($0, $1) })
    let model = conv.initialize(generator: &generator, dtype: .float64)
    let meta = model.merging(try initialInnerRates(for: model, steps: 2, rate: 0.01))
    let trajectory = try adapt(meta, supportLoss: task.supportLoss, steps: 2)
    #expect(task.supportLoss(trajectory[2]).scalar < task.supportLoss(trajectory[0]).scalar)
}
