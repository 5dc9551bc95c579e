import AdamEquivalences
import Autodiff
import ScaleInvariance

extension AdamChapter {
    /// The exercise functions the chapter runs: exercises AdamEquivalences and ScaleInvariance.
    public struct Functions: @unchecked Sendable {
        /// `adamEquivalentToRMSprop` (AdamEquivalences, part a).
        public var adamEquivalentToRMSprop: RMSpropAsAdamFunction
        /// `adamApproximatingMomentum` (AdamEquivalences, part b).
        public var adamApproximatingMomentum: MomentumAsAdamFunction
        /// `Adam.step` (ScaleInvariance).
        public var adamStep: AdamStepFunction
        /// `largestIterateGap` (ScaleInvariance).
        public var largestIterateGap: IterateGapFunction

        /// The four functions.
        public init(adamEquivalentToRMSprop: @escaping RMSpropAsAdamFunction, adamApproximatingMomentum: @escaping MomentumAsAdamFunction,
                    adamStep: @escaping AdamStepFunction, largestIterateGap: @escaping IterateGapFunction) {
            self.adamEquivalentToRMSprop = adamEquivalentToRMSprop
            self.adamApproximatingMomentum = adamApproximatingMomentum
            self.adamStep = adamStep
            self.largestIterateGap = largestIterateGap
        }
    }
}
