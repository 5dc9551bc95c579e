import Autodiff
import Foundation
import GradingRuntime

/// One input of `unrolledObjective`: meta-parameters (a tanh MLP's `W1`, `b1`, … and the
/// one-element `innerRate` α), one sine task y = sin(a x) seen through training and validation
/// points, and the number of unrolled steps T.
struct UnrolledCase {
    /// Θ = (w, α), the network's tensors followed by `innerRate`.
    let meta: Parameters
    /// The task's frequency a (the targets are sin(a x)).
    let frequency: Double
    /// Inner-loop inputs, [n, 1].
    let trainInputs: Tensor
    /// Inner-loop targets, [n, 1].
    let trainTargets: Tensor
    /// Outer-loss inputs, [m, 1].
    let validationInputs: Tensor
    /// Outer-loss targets, [m, 1].
    let validationTargets: Tensor
    /// T, the number of unrolled steps.
    let steps: Int

    /// The name of α among the meta-parameters (the exercise's `innerRateName`).
    static let rateName = "innerRate"

    /// α as a number.
    var rate: Double { meta.require(Self.rateName).scalar }

    /// A case: a 1-h-1 or 1-h-h′-1 network (widths 3 to 6) with weights uniform on ±1/√fan-in and
    /// small biases, α in [0.02, 0.3] (never the handout's starting 0.1), T from 1 to 4, a in
    /// [0.5, 1], 3 to 6 training and 3 to 6 validation points in [−2π, 2π].
    static func draw(_ random: inout SeededGenerator) -> UnrolledCase {
        let hidden = (0..<random.int(in: 1...2)).map { _ in random.int(in: 3...6) }
        let frequency = random.rounded(0.5, 1)
        let train = points(random.int(in: 3...6), frequency: frequency, &random)
        let validation = points(random.int(in: 3...6), frequency: frequency, &random)
        return UnrolledCase(meta: weights(widths: [1] + hidden + [1], &random).merging([rateName: Tensor([drawRate(&random, not: [])])]),
                            frequency: frequency, trainInputs: train.inputs, trainTargets: train.targets,
                            validationInputs: validation.inputs, validationTargets: validation.targets, steps: random.int(in: 1...4))
    }

    /// Network weights for `widths`: Wₗ uniform on ±1/√fan-in and bₗ normal with deviation 0.3, rounded to 3 digits.
    static func weights(widths: [Int], _ random: inout SeededGenerator) -> Parameters {
        var pairs: [(String, Tensor)] = []
        for (layer, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
            let bound = 1 / Double(fanIn).squareRoot()
            pairs.append(("W\(layer + 1)", Tensor(shape: [fanIn, fanOut], scalars: (0..<fanIn * fanOut).map { _ in random.rounded(-bound, bound) })))
            pairs.append(("b\(layer + 1)", Tensor((0..<fanOut).map { _ in (random.normal(standardDeviation: 0.3) * 1000).rounded() / 1000 })))
        }
        return Parameters(pairs)
    }

    /// α drawn from [0.02, 0.3], rounded to 3 digits, equal neither to 0.1 nor to any of `not`.
    static func drawRate(_ random: inout SeededGenerator, not excluded: [Double]) -> Double {
        while true {
            let rate = random.rounded(0.02, 0.3)
            if rate != 0.1 && !excluded.contains(rate) { return rate }
        }
    }

    /// `count` points of sin(a x), x uniform on [−2π, 2π] rounded to 3 digits, as [count, 1] columns.
    static func points(_ count: Int, frequency: Double, _ random: inout SeededGenerator) -> (inputs: Tensor, targets: Tensor) {
        let x = (0..<count).map { _ in random.rounded(-2 * Double.pi, 2 * Double.pi) }
        return (Tensor(shape: [count, 1], scalars: x), Tensor(shape: [count, 1], scalars: x.map { sin(frequency * $0) }))
    }

    /// The same case with T unrolled steps.
    func with(steps: Int) -> UnrolledCase {
        UnrolledCase(meta: meta, frequency: frequency, trainInputs: trainInputs, trainTargets: trainTargets,
                     validationInputs: validationInputs, validationTargets: validationTargets, steps: steps)
    }

    /// The same case with other meta-parameters.
    func with(meta: Parameters) -> UnrolledCase {
        UnrolledCase(meta: meta, frequency: frequency, trainInputs: trainInputs, trainTargets: trainTargets,
                     validationInputs: validationInputs, validationTargets: validationTargets, steps: steps)
    }

    /// The same case with α replaced.
    func with(rate: Double) -> UnrolledCase { with(meta: meta.merging([Self.rateName: Tensor([rate])])) }

    /// The same case with other training points (same frequency, same count).
    func withOtherTrainingPoints(_ random: inout SeededGenerator) -> UnrolledCase {
        let train = Self.points(trainInputs.shape[0], frequency: frequency, &random)
        return UnrolledCase(meta: meta, frequency: frequency, trainInputs: train.inputs, trainTargets: train.targets,
                            validationInputs: validationInputs, validationTargets: validationTargets, steps: steps)
    }

    /// The same case with other validation points (same frequency, same count).
    func withOtherValidationPoints(_ random: inout SeededGenerator) -> UnrolledCase {
        let validation = Self.points(validationInputs.shape[0], frequency: frequency, &random)
        return UnrolledCase(meta: meta, frequency: frequency, trainInputs: trainInputs, trainTargets: trainTargets,
                            validationInputs: validation.inputs, validationTargets: validation.targets, steps: steps)
    }

    /// The network part of the meta-parameters: every tensor but α.
    var networkWeights: Parameters { meta.selecting(meta.names.filter { $0 != Self.rateName }) }

    /// The layer widths, read from the weight matrices.
    var widths: [Int] {
        let layers = networkWeights.count / 2
        return [1] + (1...layers).map { meta.require("W\($0)").shape[1] }
    }

    /// The case as the probe receives it.
    var record: Record {
        ["meta": .of(meta), "frequency": .number(frequency), "trainInputs": .of(trainInputs), "trainTargets": .of(trainTargets),
         "validationInputs": .of(validationInputs), "validationTargets": .of(validationTargets), "steps": .integer(steps)]
    }

    /// The case read back from its record.
    init(_ record: Record) throws {
        self.init(meta: try record.parameters("meta"), frequency: try record.number("frequency"),
                  trainInputs: try record.tensor("trainInputs"), trainTargets: try record.tensor("trainTargets"),
                  validationInputs: try record.tensor("validationInputs"), validationTargets: try record.tensor("validationTargets"),
                  steps: try record.integer("steps"))
    }

    /// A case from its parts.
    init(meta: Parameters, frequency: Double, trainInputs: Tensor, trainTargets: Tensor, validationInputs: Tensor,
         validationTargets: Tensor, steps: Int) {
        (self.meta, self.frequency, self.trainInputs, self.trainTargets) = (meta, frequency, trainInputs, trainTargets)
        (self.validationInputs, self.validationTargets, self.steps) = (validationInputs, validationTargets, steps)
    }

    /// The case in words, for feedback.
    var description: String {
        "a \(widths.map(String.init).joined(separator: "-")) tanh network with W1 = \(Rendering.numbers(meta.require("W1").scalars)), "
            + "α = \(Rendering.number(rate)), T = \(steps); task y = sin(\(Rendering.number(frequency)) x) with training inputs "
            + "\(Rendering.numbers(trainInputs.scalars)) and validation inputs \(Rendering.numbers(validationInputs.scalars))"
    }
}
