import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import TaskData

/// The task families a training run can use, with the defaults the course uses for each.
///
/// | tasks | model | shots / queries | inner steps, α | source |
/// | --- | --- | --- | --- | --- |
/// | `sine` | MLP 1-40-40-1 ReLU | 10 / 10 | 1, 0.01 | MAML paper sinusoids |
/// | `piecewise` | MLP 1-40-40-1 ReLU | 10 / 10 | 5, 0.1 | first homework, question 1 |
/// | `frequency` | MLP 1-32-32-1 tanh | 4 / 10 | 3, 0.03 | unrolled-SGD notebook |
/// | `omniglot` | conv-4, 64 filters | 5-way 5-shot / 15 | 5, 0.4 | second homework |
/// | `glyphs` | conv-4, 64 filters | 5-way 5-shot / 15 | 5, 0.4 | synthetic stand-in for Omniglot |
public enum TaskChoice: String, CaseIterable, Sendable {
    case sine, piecewise, frequency, omniglot, glyphs

    /// Whether the tasks are image classification.
    public var isClassification: Bool { self == .omniglot || self == .glyphs }

    /// The defaults of the table above, as a configuration to start from.
    public var defaults: (configuration: TrainingConfiguration, shots: Int, queries: Int) {
        var c = TrainingConfiguration()
        switch self {
        case .sine:
            (c.innerSteps, c.innerLearningRate, c.metaBatch) = (1, 0.01, 25)
            return (withEvaluation(c), 10, 10)
        case .piecewise:
            (c.innerSteps, c.innerLearningRate, c.metaBatch) = (5, 0.1, 25)
            return (withEvaluation(c), 10, 10)
        case .frequency:
            (c.innerSteps, c.innerLearningRate, c.metaBatch) = (3, 0.03, 25)
            return (withEvaluation(c), 4, 10)
        case .omniglot, .glyphs:
            (c.innerSteps, c.innerLearningRate, c.metaBatch, c.validationTasks) = (5, 0.4, 8, 50)
            return (withEvaluation(c), 5, 15)
        }
    }

    private func withEvaluation(_ c: TrainingConfiguration) -> TrainingConfiguration {
        var c = c
        c.evaluationInnerSteps = c.innerSteps
        return c
    }

    /// The model of a regression family.
    var regressionModel: MLP {
        self == .frequency ? MLP(sizes: [1, 32, 32, 1], activation: .tanh) : MLP(sizes: [1, 40, 40, 1], activation: .relu)
    }

    /// The regression family.
    var family: any TaskFamily {
        switch self {
        case .piecewise: PiecewiseConstantFamily()
        case .frequency: SineFrequencyFamily()
        default: SineAmplitudePhaseFamily()
        }
    }

    /// Builds the problem and its description (for checkpoints). `roots` are Omniglot folders
    /// (or OMNIGLOT_ROOT); `omniglot` without any is an error that says how to give one, `glyphs`
    /// needs none. `alphabets` chooses the split, `withinAlphabet` draws each episode's classes
    /// from one alphabet, and `cache` is the Omniglot cache file (default `Omniglot.defaultCacheURL`).
    public func problem(ways: Int = 5, shots: Int, queries: Int, omniglotRoots: [URL] = [],
                        heldOut: ClassificationProblem.HeldOut = .validation, rotations: Bool = true,
                        batchNormSteps: Int = 0, seed: UInt64 = 0, alphabets: GroupChoice = GroupChoice(),
                        withinAlphabet: Bool = false, cache: URL? = nil)
        throws -> (problem: any MetaProblem, data: String, description: TaskDescription) {
        if batchNormSteps > 0 && !isClassification {
            throw TrainingError.invalidOption("per-step batch norm needs the conv net: --tasks omniglot or glyphs, not \(rawValue)")
        }
        if !isClassification && (withinAlphabet || !alphabets.isDefault) {
            throw TrainingError.invalidOption("alphabets belong to image tasks: --tasks omniglot or glyphs, not \(rawValue)")
        }
        let dataset: ImageDataset, data: String, roots: [URL]
        switch self {
        case .sine, .piecewise, .frequency:
            let model = regressionModel
            let problem = RegressionProblem(name: rawValue, family: family, model: model,
                                            shots: shots, queries: queries, dtype: .float32)
            let data = "\(rawValue) tasks (generated)"
            let description = TaskDescription(family: rawValue, model: .mlp(sizes: model.sizes, activation: model.activation.rawValue),
                                              shots: shots, queries: queries, rotations: false, data: data)
            return (problem, data, description)
        case .omniglot:
            roots = omniglotRoots.isEmpty ? Omniglot.rootFromEnvironment().map { [$0] } ?? [] : omniglotRoots
            guard !roots.isEmpty else {
                throw TrainingError.invalidOption("--tasks omniglot needs the data: give --omniglot-root DIR "
                    + "(a folder of alphabets) or set \(Omniglot.environmentVariable); --tasks glyphs needs no data")
            }
            dataset = try Omniglot.load(roots: roots, cache: cache ?? Omniglot.defaultCacheURL)
            data = "Omniglot from \(roots.map(\.path).joined(separator: ", ")) (\(dataset.imageCount) images)"
        case .glyphs:
            roots = []
            dataset = SyntheticGlyphs.dataset(classes: 400, seed: seed)
            data = "synthetic glyphs (\(dataset.classes.count) classes)"
        }
        let problem = try ClassificationProblem.episodes(from: dataset, name: rawValue, ways: ways, shots: shots,
                                                         queries: queries, rotations: rotations, heldOut: heldOut,
                                                         perStepBatchNorm: batchNormSteps,
                                                         groups: try alphabets.assignment(for: dataset),
                                                         withinGroup: withinAlphabet)
        let description = TaskDescription(family: rawValue, model: .init(problem.model), shots: shots, queries: queries,
                                          rotations: rotations, withinAlphabet: withinAlphabet, data: data,
                                          dataRoots: roots.map(\.path), split: problem.groups)
        return (problem, data, description)
    }
}
