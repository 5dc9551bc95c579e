import Autodiff
import MAMLPlusPlus

/// `initialInnerRates` as a chapter calls it (exercise MAMLPlusPlus).
public typealias InitialInnerRatesFunction = (_ model: Parameters, _ steps: Int, _ rate: Double) throws -> Parameters
/// `adapt` as a chapter calls it (exercise MAMLPlusPlus): the trajectory φ⁰ … φᴷ with learned rates.
public typealias LearnedRateAdaptFunction = (_ meta: Parameters, _ supportLoss: @escaping Loss, _ steps: Int) throws -> [Parameters]
/// `importanceWeights` as a chapter calls it (exercise MAMLPlusPlus).
public typealias ImportanceWeightsFunction = (_ epoch: Int, _ schedule: MultiStepLossSchedule) throws -> [Double]
/// `multiStepLoss` as a chapter calls it (exercise MAMLPlusPlus).
public typealias MultiStepLossFunction = (_ trajectory: [Parameters], _ queryLoss: Loss, _ weights: [Double]) throws -> Tensor
/// `outerLearningRate` as a chapter calls it (exercise MAMLPlusPlus).
public typealias OuterRateFunction = (_ epoch: Int, _ schedule: OuterRateSchedule) throws -> Double
/// `derivativeOrder` as a chapter calls it (exercise MAMLPlusPlus).
public typealias DerivativeOrderFunction = (_ epoch: Int, _ schedule: DerivativeOrderSchedule) throws -> DerivativeOrder
/// `metaGradient` as a chapter calls it (exercise MAMLPlusPlus).
public typealias MetaGradientFunction = (
    _ meta: Parameters, _ tasks: [MetaTask], _ epoch: Int, _ schedule: DerivativeOrderSchedule, _ objective: @escaping TaskObjective
) throws -> MetaGradient

/// Known-answer checks of the MAML++ pieces, each on its own closed-form example.
enum MAMLPlusPlusChecks {
    /// K = 4, E = 10, floor 0.03/4 = 0.0075: v(0) = ¼, v(5) = ¼ − 5/40 = 0.125, v(20) = the floor;
    /// the last weight is 1 − 3v; with K = 1 the single weight is 1.
    static func weights(_ importanceWeights: @escaping ImportanceWeightsFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "importanceWeights") {
            let schedule = try MultiStepLossSchedule(steps: 4, annealEpochs: 10)
            for (epoch, v) in [(0, 0.25), (5, 0.125), (20, 0.0075)] {
                let weights = try importanceWeights(epoch, schedule)
                let expected = [v, v, v, 1 - 3 * v]
                if !close(weights, expected) {
                    return "for K = 4, E = 10 and the floor 0.0075 it gave the weights \(shown(weights)) at epoch \(epoch); \(shown(expected)) was expected"
                }
            }
            let single = try importanceWeights(3, MultiStepLossSchedule(steps: 1, annealEpochs: 10))
            return close(single, [1]) ? nil : "for K = 1 it gave \(shown(single)); the single weight must be 1"
        }
    }

    /// Trajectory (w, w/2, 2w), query loss w², weights (¼, ¾): ¼(w/2)² + ¾(2w)² = 3.0625 at w = 1,
    /// derivative 6.125 (φ⁰ is not scored).
    static func multiStep(_ multiStepLoss: @escaping MultiStepLossFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "multiStepLoss") {
            let square: Loss = { ($0.require("w") * $0.require("w")).sum() }
            let (value, gradient) = try valueAndGradient(throwing: { w in
                try multiStepLoss([w, 0.5 * w, 2 * w], square, [0.25, 0.75])
            }, at: ["w": Tensor([1.0])])
            let slope = gradient.require("w").scalar
            return close(value.scalar, 3.0625) && close(slope, 6.125) ? nil
                : "for the trajectory (w, w/2, 2w) at w = 1, the query loss w² and the weights (0.25, 0.75) it gave \(shown(value.scalar)) with "
                    + "derivative \(shown(slope)); 0.25·(w/2)² + 0.75·(2w)² = 3.0625 with derivative 6.125 was expected (φ⁰ is not scored)"
        }
    }

    /// β₀ = 0.01, β_min = 0.001, T = 20: β(0) = 0.01, β(5) = 0.001 + 0.009·(1 + cos 45°)/2 ≈ 0.0086820, β(10) = 0.0055,
    /// β(20) = β(30) = 0.001.
    static func outerRate(_ outerLearningRate: @escaping OuterRateFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "outerLearningRate") {
            let schedule = try OuterRateSchedule(initial: 0.01, minimum: 0.001, totalEpochs: 20)
            for (epoch, expected) in [(0, 0.01), (5, 0.008681980515339463), (10, 0.0055), (20, 0.001), (30, 0.001)] {
                let rate = try outerLearningRate(epoch, schedule)
                if !close(rate, expected, tolerance: 1e-12) {
                    return "for β₀ = 0.01, β_min = 0.001 and T = 20 it gave \(shown(rate)) at epoch \(epoch); \(shown(expected)) was expected"
                }
            }
            return nil
        }
    }

    /// E = 3: first order at epochs 0 and 2, second order at 3 and 4.
    static func order(_ derivativeOrder: @escaping DerivativeOrderFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "derivativeOrder") {
            let schedule = try DerivativeOrderSchedule(firstOrderEpochs: 3)
            for (epoch, expected) in [(0, DerivativeOrder.first), (2, .first), (3, .second), (4, .second)] {
                let order = try derivativeOrder(epoch, schedule)
                if order != expected { return "with E = 3 it gave \(order.rawValue) order at epoch \(epoch); \(expected.rawValue) was expected" }
            }
            return nil
        }
    }

    /// Two parameters and two steps: one scalar rate per parameter and step, named by `innerRateName`.
    static func initialRates(_ initialInnerRates: @escaping InitialInnerRatesFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "initialInnerRates") {
            let rates = try initialInnerRates(["a": Tensor([1.0, 2.0]), "b": Tensor([3.0])], 2, 0.1)
            let names = ["a", "b"].flatMap { name in (1...2).map { innerRateName(of: name, step: $0) } }
            let right = Set(rates.names) == Set(names) && rates.count == 4 && rates.tensors.allSatisfy { $0.scalarCount == 1 && $0.scalars == [0.1] }
            return right ? nil
                : "for the parameters a, b and 2 steps at rate 0.1 it gave \(rates.names) with values \(rates.tensors.map(\.scalars)); "
                    + "one scalar 0.1 for each of \(names) was expected"
        }
    }

    /// θ = (a, b) with the loss ½(Σa² + 2b²), so ∇ = (a, 2b) and every step multiplies a by
    /// 1 − α_(a,k) and b by 1 − 2α_(b,k). With rates a: (0.5, 0.25), b: (0.1, 0.2) and b = 3:
    /// φ² = (¾·½·a, 0.6·0.8·3) = ((0.375, 0.75), 1.44); the query loss Σb after two steps has
    /// ∂/∂α_(b,1) = −6·0.6 = −3.6 and ∂/∂α_(b,2) = −6·0.8 = −4.8.
    static func adaptation(_ adapt: @escaping LearnedRateAdaptFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "adapt") {
            let model: Parameters = ["a": Tensor([1.0, 2.0]), "b": Tensor([3.0])]
            let rates: Parameters = [innerRateName(of: "a", step: 1): Tensor(0.5), innerRateName(of: "a", step: 2): Tensor(0.25),
                                     innerRateName(of: "b", step: 1): Tensor(0.1), innerRateName(of: "b", step: 2): Tensor(0.2)]
            let support: Loss = { 0.5 * (($0.require("a") * $0.require("a")).sum() + 2 * ($0.require("b") * $0.require("b")).sum()) }
            let path = try adapt(model.merging(rates), support, 2)
            let last = path.last.map(flatScalars) ?? []
            guard path.count == 3, path.last?.names == ["a", "b"], close(last, [0.375, 0.75, 1.44]) else {
                return "with per-step rates a: (0.5, 0.25), b: (0.1, 0.2) on the loss ½(Σa² + 2b²) from a = (1, 2), b = 3 it gave "
                    + "\(path.count) parameter sets ending at \(shown(last)); 3 sets ending at a = (0.375, 0.75), b = 1.44 were expected"
            }
            let (_, gradient) = try valueAndGradient(throwing: { try adapt($0, support, 2).last!.require("b").sum() }, at: model.merging(rates))
            let slopes = [gradient.require(innerRateName(of: "b", step: 1)).scalar, gradient.require(innerRateName(of: "b", step: 2)).scalar]
            return close(slopes, [-3.6, -4.8]) ? nil
                : "the derivatives of b after two steps with respect to its two rates were \(shown(slopes)); (−3.6, −4.8) were expected "
                    + "(keep every rate in the computation)"
        }
    }

    /// Two tasks scaling the objective (w − ¼∇w²)² = ¼w² by 1 and 3, at w = 2: the mean is 2; its
    /// exact gradient is (½w + 1.5w)/2 = 2, and with the inner gradient held constant
    /// (2(w − ¼g) + 6(w − ¼g))/2 = 4. With E = 1, epoch 0 is first order and epoch 1 second.
    static func metaGradient(_ metaGradient: @escaping MetaGradientFunction) -> SanityCheck {
        SanityCheck("MAMLPlusPlus", "metaGradient") {
            let tasks = [1.0, 3.0].map { scale in MetaTask(supportLoss: { _ in Tensor(0.0) }, queryLoss: { _ in Tensor(scale) }) }
            let objective: TaskObjective = { meta, task in
                let w = meta.require("w")
                let inner = grad { (p: Parameters) in (p.require("w") * p.require("w")).sum() }(meta).require("w")
                return task.queryLoss(meta) * ((w - 0.25 * inner) * (w - 0.25 * inner)).sum()
            }
            let schedule = try DerivativeOrderSchedule(firstOrderEpochs: 1)
            for (epoch, order, slope) in [(0, DerivativeOrder.first, 4.0), (1, .second, 2.0)] {
                let result = try metaGradient(["w": Tensor([2.0])], tasks, epoch, schedule, objective)
                let got = result.gradient["w"]?.scalars.first ?? .nan
                if result.order != order || !close(result.loss, 2) || !close(got, slope) {
                    return "at epoch \(epoch) of E = 1 it gave \(result.order.rawValue) order, loss \(shown(result.loss)) and gradient "
                        + "\(shown(got)); \(order.rawValue) order, the mean loss 2 and gradient \(shown(slope)) were expected"
                }
            }
            return nil
        }
    }
}
