import Autodiff

/// Sine waves of random amplitude and phase (the MAML paper's regression benchmark).
///
/// y = A sin(x + phase), A ~ U[0.1, 5], phase ~ U[0, pi], x ~ U[-5, 5].
public struct SineAmplitudePhaseFamily: TaskFamily {
    /// The interval amplitudes are drawn from.
    public let amplitudeRange: ClosedRange<Double>
    /// The interval phases are drawn from.
    public let phaseRange: ClosedRange<Double>
    /// The interval inputs are drawn from.
    public let inputRange: ClosedRange<Double>

    /// The family with the paper's ranges by default.
    public init(amplitudeRange: ClosedRange<Double> = 0.1...5, phaseRange: ClosedRange<Double> = 0...Double.pi,
                inputRange: ClosedRange<Double> = -5...5) {
        self.amplitudeRange = amplitudeRange
        self.phaseRange = phaseRange
        self.inputRange = inputRange
    }

    /// A ~ U[amplitudeRange], then phase ~ U[phaseRange]; the frequency is 1.
    public func sampleTask(generator: inout SeededGenerator) -> RegressionTask {
        let amplitude = generator.uniform(amplitudeRange.lowerBound, amplitudeRange.upperBound)
        let phase = generator.uniform(phaseRange.lowerBound, phaseRange.upperBound)
        return .sine(amplitude: amplitude, frequency: 1, phase: phase)
    }
}

/// Sine waves of random frequency (the unrolled-SGD notebook's tasks).
///
/// y = sin(a x + phase), a ~ U[0.5, 1], x ~ U[-2 pi, 2 pi]; the phase is fixed (0 by default, pi in
/// the notebook's variant) or, when `phase` is nil, drawn ~ U[0, pi] per task.
public struct SineFrequencyFamily: TaskFamily {
    /// The interval frequencies are drawn from.
    public let frequencyRange: ClosedRange<Double>
    /// A fixed phase for every task, or nil to draw one per task from [0, pi].
    public let phase: Double?
    /// The interval inputs are drawn from.
    public let inputRange: ClosedRange<Double>

    /// The family with the notebook's ranges by default.
    public init(frequencyRange: ClosedRange<Double> = 0.5...1, phase: Double? = 0,
                inputRange: ClosedRange<Double> = (-2 * Double.pi)...(2 * Double.pi)) {
        self.frequencyRange = frequencyRange
        self.phase = phase
        self.inputRange = inputRange
    }

    /// a ~ U[frequencyRange], then (only when no phase is fixed) phase ~ U[0, pi]; the amplitude is 1.
    public func sampleTask(generator: inout SeededGenerator) -> RegressionTask {
        let frequency = generator.uniform(frequencyRange.lowerBound, frequencyRange.upperBound)
        let taskPhase = phase ?? generator.uniform(0, Double.pi)
        return .sine(amplitude: 1, frequency: frequency, phase: taskPhase)
    }
}
