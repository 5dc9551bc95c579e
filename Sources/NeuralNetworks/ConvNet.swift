import Autodiff

/// The standard convolutional network of few-shot image classification (Omniglot), as a pure
/// function of its parameters.
///
/// Each of `blocks` blocks is: 3x3 convolution (`filters` channels, padding 1) → batch norm →
/// ReLU → 2x2 max-pool, so a 28x28 image shrinks 28 → 14 → 7 → 3 → 1 over four blocks. The
/// flattened features then go through a linear head to `ways` logits. Block `i` owns
/// `"conv<i>.weight"` `[filters, inChannels, 3, 3]`, `"conv<i>.bias"` `[filters]`,
/// `"bn<i>.scale"` and `"bn<i>.offset"` `[filters]`; the head owns `"head.weight"`
/// `[featureCount, ways]` and `"head.bias"` `[ways]`.
///
/// With `perStepBatchNorm = S > 0` (MAML++), each block instead owns one scale and offset per
/// inner step, `"bn<i>.scale.step<s>"` and `"bn<i>.offset.step<s>"` for s in 0..<S, and a
/// forward pass at inner step s uses that step's pair.
public struct ConvNet: Sendable, Equatable {
    /// The number of classes (the N of N-way).
    public let ways: Int
    /// The channels of every convolution.
    public let filters: Int
    /// The number of conv blocks.
    public let blocks: Int
    /// The channels of the input images (1 for Omniglot).
    public let inputChannels: Int
    /// The height and width of the (square) input images.
    public let imageSize: Int
    /// The number of inner steps with their own batch-norm weights; 0 shares one pair per block.
    public let perStepBatchNorm: Int
    /// The ε of batch normalization: x̂ = (x - μ) / √(σ² + ε).
    public let batchNormEpsilon: Double

    /// A network for `ways` classes; the defaults are the 4-block, 64-filter Omniglot net on 1x28x28 images.
    public init(ways: Int, filters: Int = 64, blocks: Int = 4, inputChannels: Int = 1, imageSize: Int = 28,
                perStepBatchNorm: Int = 0, batchNormEpsilon: Double = 1e-5) {
        check(ways > 0 && filters > 0 && blocks > 0 && inputChannels > 0,
              "ConvNet: ways (\(ways)), filters (\(filters)), blocks (\(blocks)) and input channels (\(inputChannels)) must be positive")
        check(imageSize >> blocks >= 1,
              "ConvNet: a \(imageSize)x\(imageSize) image cannot be halved \(blocks) times; use fewer blocks or larger images")
        check(perStepBatchNorm >= 0, "ConvNet: perStepBatchNorm must be non-negative, got \(perStepBatchNorm)")
        self.ways = ways
        self.filters = filters
        self.blocks = blocks
        self.inputChannels = inputChannels
        self.imageSize = imageSize
        self.perStepBatchNorm = perStepBatchNorm
        self.batchNormEpsilon = batchNormEpsilon
    }

    /// The height and width of the last block's output (each 2x2 pool floors the size by half).
    public var outputSize: Int { imageSize >> blocks }
    /// The length of the flattened feature vector: filters · outputSize².
    public var featureCount: Int { filters * outputSize * outputSize }

    /// The batch-norm weight names of block `block` (1-based): shared, or one pair per inner step.
    public func batchNormNames(block: Int) -> [String] {
        perStepBatchNorm == 0
            ? ["bn\(block).scale", "bn\(block).offset"]
            : (0..<perStepBatchNorm).flatMap { ["bn\(block).scale.step\($0)", "bn\(block).offset.step\($0)"] }
    }

    /// The parameter names of block `block` (1-based): its convolution, then its batch norm.
    public func blockNames(_ block: Int) -> [String] {
        ["conv\(block).weight", "conv\(block).bias"] + batchNormNames(block: block)
    }

    /// The names of the feature extractor (every block), in order.
    public var featureNames: [String] { (1...blocks).flatMap(blockNames) }
    /// The names of the linear head (the only parameters ANIL adapts).
    public var headNames: [String] { ["head.weight", "head.bias"] }
    /// Every parameter name, features first.
    public var parameterNames: [String] { featureNames + headNames }

    /// The names left to train when the first `frozenBlocks` blocks are frozen (fine-tuning the
    /// top of a pretrained net); `frozenBlocks == blocks` leaves only the head.
    public func trainableNames(freezingBlocks frozenBlocks: Int) -> [String] {
        check((0...blocks).contains(frozenBlocks), "ConvNet: cannot freeze \(frozenBlocks) of \(blocks) blocks")
        return (1...blocks).filter { $0 > frozenBlocks }.flatMap(blockNames) + headNames
    }

    /// Fresh parameters: convolution and head weights from `initializer` (fan-in channels·3·3 for
    /// a convolution), biases and batch-norm offsets zero, batch-norm scales one.
    public func initialize(generator: inout SeededGenerator, dtype: DType = .float32,
                           initializer: Initializer = .glorotUniform) -> Parameters {
        var pairs: [(String, Tensor)] = []
        var channels = inputChannels
        for block in 1...blocks {
            pairs.append(("conv\(block).weight", initializer.tensor([filters, channels, 3, 3], fanIn: channels * 9,
                                                                    fanOut: filters * 9, dtype: dtype, generator: &generator)))
            pairs.append(("conv\(block).bias", .zeros([filters], dtype: dtype)))
            for name in batchNormNames(block: block) {
                pairs.append((name, name.contains(".scale") ? .ones([filters], dtype: dtype) : .zeros([filters], dtype: dtype)))
            }
            channels = filters
        }
        pairs.append(("head.weight", initializer.tensor([featureCount, ways], fanIn: featureCount, fanOut: ways,
                                                        dtype: dtype, generator: &generator)))
        pairs.append(("head.bias", .zeros([ways], dtype: dtype)))
        return Parameters(pairs)
    }

    /// Running statistics for this network's batch-norm layers (mean 0, variance 1).
    public func initialStatistics(dtype: DType = .float32, momentum: Double = 0.1) -> BatchNormStatistics {
        .initial(layers: blocks, channels: filters, dtype: dtype, momentum: momentum)
    }

    /// The flattened features `[N, featureCount]` of images `[N, C, H, W]`, normalizing every
    /// block with the batch's own statistics (the reference MAML behaviour, at training and test time).
    public func features(_ params: Parameters, _ x: Tensor, step: Int = 0) -> Tensor {
        run(params, x, step: step, statistics: nil, training: true).features
    }

    /// The features with running statistics: when `training`, each block normalizes with the
    /// batch's statistics and the returned statistics are updated toward them; otherwise each
    /// block normalizes with `statistics`, which come back unchanged.
    public func features(_ params: Parameters, _ x: Tensor, statistics: BatchNormStatistics, training: Bool,
                         step: Int = 0) -> (features: Tensor, statistics: BatchNormStatistics) {
        let result = run(params, x, step: step, statistics: statistics, training: training)
        return (result.features, result.statistics!)
    }

    /// The logits `[N, ways]` of features `[N, featureCount]`: f @ W + b.
    public func head(_ params: Parameters, _ features: Tensor) -> Tensor {
        check(features.rank == 2 && features.shape[1] == featureCount,
              "ConvNet.head: features of shape \(features.shape), expected [N, \(featureCount)]")
        return matmul(features, params.require("head.weight")) + params.require("head.bias")
    }

    /// The logits `[N, ways]` of images `[N, C, H, W]`, with batch statistics.
    public func callAsFunction(_ params: Parameters, _ x: Tensor, step: Int = 0) -> Tensor {
        head(params, features(params, x, step: step))
    }

    /// The logits with running statistics (see `features(_:_:statistics:training:step:)`).
    public func callAsFunction(_ params: Parameters, _ x: Tensor, statistics: BatchNormStatistics, training: Bool,
                               step: Int = 0) -> (logits: Tensor, statistics: BatchNormStatistics) {
        let (f, updated) = features(params, x, statistics: statistics, training: training, step: step)
        return (head(params, f), updated)
    }

    /// The batch-norm weights' step index at inner step `innerStep`: 0 without per-step weights,
    /// else min(innerStep, S − 1), so steps past the last pair reuse it.
    public func batchNormStep(_ innerStep: Int) -> Int {
        perStepBatchNorm == 0 ? 0 : Swift.min(innerStep, perStepBatchNorm - 1)
    }

    /// The batch-norm scale and offset of `block` at inner step `step`.
    private func batchNormWeights(_ params: Parameters, block: Int, step: Int) -> (scale: Tensor, offset: Tensor) {
        guard perStepBatchNorm > 0 else { return (params.require("bn\(block).scale"), params.require("bn\(block).offset")) }
        check((0..<perStepBatchNorm).contains(step),
              "ConvNet: inner step \(step) has no batch-norm weights (the net has them for steps 0..<\(perStepBatchNorm))")
        return (params.require("bn\(block).scale.step\(step)"), params.require("bn\(block).offset.step\(step)"))
    }

    /// The blocks, then flattening; statistics are used and updated only when given.
    private func run(_ params: Parameters, _ x: Tensor, step: Int, statistics: BatchNormStatistics?,
                     training: Bool) -> (features: Tensor, statistics: BatchNormStatistics?) {
        check(x.rank == 4 && x.shape[1] == inputChannels && x.shape[2] == imageSize && x.shape[3] == imageSize,
              "ConvNet: input of shape \(x.shape), expected [N, \(inputChannels), \(imageSize), \(imageSize)]")
        if let statistics {
            check(statistics.means.count == blocks,
                  "ConvNet: statistics for \(statistics.means.count) batch-norm layers, the net has \(blocks)")
        }
        var h = x
        var running = statistics
        for block in 1...blocks {
            h = conv2d(h, filters: params.require("conv\(block).weight"), bias: params.require("conv\(block).bias"), padding: 1)
            let (scale, offset) = batchNormWeights(params, block: block, step: step)
            // relu(maxPool(h)) = maxPool(relu(h)) (relu is monotone, and both send the gradient
            // to the same first maximum, or nowhere when the window is ≤ 0), at a quarter of the work.
            if training {
                running = running?.updated(layer: block - 1, batch: h)
                h = relu(batchNormMaxPool(h, scale: scale, offset: offset, epsilon: batchNormEpsilon, size: 2))
            } else {
                h = batchNorm(h, mean: running!.means[block - 1], variance: running!.variances[block - 1],
                              scale: scale, offset: offset, epsilon: batchNormEpsilon)
                h = relu(maxPool2d(h, size: 2))
            }
        }
        return (h.reshaped([x.shape[0], featureCount]), running)
    }
}
