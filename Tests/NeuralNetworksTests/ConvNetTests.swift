import Autodiff
import NeuralNetworks
import Testing

@Suite struct ConvNetTests {
    @Test func theOmniglotNetHasFourBlocksAndA64FeatureHead() {
        let net = ConvNet(ways: 5)
        var generator = SeededGenerator(seed: 1)
        let params = net.initialize(generator: &generator)
        #expect(net.outputSize == 1 && net.featureCount == 64)
        #expect(params.names == net.parameterNames)
        #expect(Array(params.names.prefix(4)) == ["conv1.weight", "conv1.bias", "bn1.scale", "bn1.offset"])
        #expect(params.require("conv1.weight").shape == [64, 1, 3, 3])
        #expect(params.require("conv2.weight").shape == [64, 64, 3, 3])
        #expect(params.require("head.weight").shape == [64, 5])
        #expect(params.require("bn3.scale").scalars.allSatisfy { $0 == 1 })
        #expect(params.tensors.allSatisfy { $0.dtype == .float32 })
        #expect(net.headNames == ["head.weight", "head.bias"])
        #expect(net.featureNames.count == 16)
    }

    @Test func forwardGivesOneRowOfLogitsPerImage() {
        let net = ConvNet(ways: 5, filters: 8)
        var generator = SeededGenerator(seed: 2)
        let params = net.initialize(generator: &generator)
        let images = Tensor.randomUniform([3, 1, 28, 28], dtype: .float32, generator: &generator)
        #expect(net.features(params, images).shape == [3, 8])
        let logits = net(params, images)
        #expect(logits.shape == [3, 5])
        #expect(logits.scalars.allSatisfy { $0.isFinite })
        // The split is the whole: head(features(x)) is the forward pass.
        #expect(net.head(params, net.features(params, images)).scalars == logits.scalars)
    }

    /// A tiny Double net (2 blocks, 3 filters, 8x8 inputs) and a classification loss on 2 images.
    func tinyProblem(perStepBatchNorm: Int = 0) -> (ConvNet, Parameters, (Parameters) -> Tensor) {
        let net = ConvNet(ways: 3, filters: 3, blocks: 2, imageSize: 8, perStepBatchNorm: perStepBatchNorm)
        var generator = SeededGenerator(seed: 3)
        var params = net.initialize(generator: &generator, dtype: .float64)
        // Move batch norm away from its identity start so its weights' gradients are generic.
        params = Parameters(params.map { name, t in
            (name, name.hasPrefix("bn") ? t + Tensor.randomNormal(t.shape, standardDeviation: 0.3, generator: &generator) : t)
        })
        let images = Tensor.randomNormal([2, 1, 8, 8], generator: &generator)
        return (net, params, { p in crossEntropy(logits: net(p, images), labels: [2, 0]) })
    }

    @Test func gradientMatchesFiniteDifferencesOnATinyNet() throws {
        let (net, params, loss) = tinyProblem()
        #expect(net.featureCount == 12)
        try checkGradients(loss, at: params, order: 1)
        #expect(grad(loss)(params).require("conv1.weight").scalars.contains { Swift.abs($0) > 1e-6 })
    }

    @Test func secondOrderMetaGradientMatchesFiniteDifferences() throws {
        // F(θ) = L(θ - α ∇L(θ)): one MAML inner step through conv, batch norm and pooling.
        let (_, params, loss) = tinyProblem()
        let meta = { (theta: Parameters) in loss(theta - 0.1 * grad(loss)(theta)) }
        let selected = ["bn2.scale", "head.bias", "conv2.bias"]
        let (moving, fixed) = params.partitioned(trainable: selected)
        let restricted = { (p: Parameters) in meta(fixed.merging(p)) }
        try checkGradients(restricted, at: moving, order: 1, tolerance: 1e-5)
    }

    @Test func runningStatisticsNormalizeLikeTheBatchWhenTheyAreTheBatchStatistics() {
        let net = ConvNet(ways: 2, filters: 2, blocks: 1, imageSize: 4)
        var generator = SeededGenerator(seed: 4)
        let params = net.initialize(generator: &generator, dtype: .float64)
        let images = Tensor.randomNormal([3, 1, 4, 4], generator: &generator)
        let convolved = conv2d(images, filters: params.require("conv1.weight"), bias: params.require("conv1.bias"), padding: 1)
        let (mean, variance) = batchStatistics(convolved)

        let frozen = BatchNormStatistics(means: [mean], variances: [variance])
        let (evaluated, unchanged) = net(params, images, statistics: frozen, training: false)
        for (a, b) in zip(evaluated.scalars, net(params, images).scalars) { #expect(Swift.abs(a - b) < 1e-12) }
        #expect(unchanged.means[0].scalars == mean.scalars)

        // A training pass normalizes with the batch and moves the running values 10% toward it.
        let (trained, updated) = net(params, images, statistics: net.initialStatistics(dtype: .float64), training: true)
        #expect(trained.scalars == net(params, images).scalars)
        let n = 3.0 * 4 * 4
        for (running, batch) in zip(updated.means[0].scalars, mean.scalars) { #expect(Swift.abs(running - 0.1 * batch) < 1e-12) }
        for (running, batch) in zip(updated.variances[0].scalars, variance.scalars) {
            #expect(Swift.abs(running - (0.9 + 0.1 * batch * n / (n - 1))) < 1e-12)
        }
    }

    @Test func perStepBatchNormUsesTheStepsOwnWeights() {
        let (net, params, _) = tinyProblem(perStepBatchNorm: 2)
        #expect(net.blockNames(1) == ["conv1.weight", "conv1.bias", "bn1.scale.step0", "bn1.offset.step0",
                                      "bn1.scale.step1", "bn1.offset.step1"])
        #expect(params["bn1.scale"] == nil && params["bn2.offset.step1"] != nil)
        var generator = SeededGenerator(seed: 5)
        let images = Tensor.randomNormal([2, 1, 8, 8], generator: &generator)
        var changed = params
        changed["bn2.offset.step1"] = params.require("bn2.offset.step1") + 1
        #expect(net(changed, images, step: 0).scalars == net(params, images, step: 0).scalars)
        #expect(net(changed, images, step: 1).scalars != net(params, images, step: 1).scalars)
    }

    @Test func freezingLeavesTheRightNamesTrainable() {
        let net = ConvNet(ways: 5, filters: 4)
        #expect(net.trainableNames(freezingBlocks: 4) == net.headNames)
        #expect(net.trainableNames(freezingBlocks: 0) == net.parameterNames)
        #expect(net.trainableNames(freezingBlocks: 3) == net.blockNames(4) + net.headNames)
        var generator = SeededGenerator(seed: 6)
        let params = net.initialize(generator: &generator)
        #expect(params.names(freezingLayers: ["conv1", "bn1"]) == Array(params.names.dropFirst(4)))
        let (trainable, frozen) = params.partitioned(trainable: net.headNames)
        #expect(trainable.names == net.headNames && frozen.names == net.featureNames)
    }
}
