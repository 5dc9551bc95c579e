import Autodiff
import MAMLPlusPlus

extension MAMLPlusPlusChapter {
    /// The exercise functions the chapter runs: exercise MAMLPlusPlus.
    public struct Functions: @unchecked Sendable {
        /// `initialInnerRates`.
        public var initialInnerRates: InitialInnerRatesFunction
        /// `adapt`.
        public var adapt: LearnedRateAdaptFunction
        /// `importanceWeights`.
        public var importanceWeights: ImportanceWeightsFunction
        /// `multiStepLoss`.
        public var multiStepLoss: MultiStepLossFunction
        /// `outerLearningRate`.
        public var outerLearningRate: OuterRateFunction
        /// `derivativeOrder`.
        public var derivativeOrder: DerivativeOrderFunction
        /// `metaGradient`.
        public var metaGradient: MetaGradientFunction

        /// The seven functions.
        public init(initialInnerRates: @escaping InitialInnerRatesFunction, adapt: @escaping LearnedRateAdaptFunction,
                    importanceWeights: @escaping ImportanceWeightsFunction, multiStepLoss: @escaping MultiStepLossFunction,
                    outerLearningRate: @escaping OuterRateFunction, derivativeOrder: @escaping DerivativeOrderFunction,
                    metaGradient: @escaping MetaGradientFunction) {
            self.initialInnerRates = initialInnerRates
            self.adapt = adapt
            self.importanceWeights = importanceWeights
            self.multiStepLoss = multiStepLoss
            self.outerLearningRate = outerLearningRate
            self.derivativeOrder = derivativeOrder
            self.metaGradient = metaGradient
        }

        /// The checks of the three schedules.
        var scheduleChecks: [SanityCheck] {
            [MAMLPlusPlusChecks.weights(importanceWeights), MAMLPlusPlusChecks.outerRate(outerLearningRate),
             MAMLPlusPlusChecks.order(derivativeOrder)]
        }
        /// Every check: the schedules, the learned rates, the loss and the meta-gradient.
        var allChecks: [SanityCheck] {
            scheduleChecks + [MAMLPlusPlusChecks.initialRates(initialInnerRates), MAMLPlusPlusChecks.adaptation(adapt),
                              MAMLPlusPlusChecks.multiStep(multiStepLoss), MAMLPlusPlusChecks.metaGradient(metaGradient)]
        }
    }
}
