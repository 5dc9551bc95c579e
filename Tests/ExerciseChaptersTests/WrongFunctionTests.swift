import AdamEquivalences
import Autodiff
import Foundation
import LearnedInnerRate
import Notebook
import SineMAML
import Testing
@testable import ExerciseChapters
@testable import ExerciseWorkbookCLI

/// The verdict of `check`: nil when the function passed, else the sentence a page shows.
func verdict(_ check: SanityCheck) -> String? {
    do { return try check.run() } catch { return "threw \(error)" }
}

@Suite("The known-answer checks")
struct KnownAnswerTests {
    @Test("the reference functions pass every check", .enabled(if: !ImplementationOption.builtFromStudentFiles))
    func referencePasses() {
        let checks = Linked.mamlToy.trainingChecks + [AdamEquivalencesChecks.rmsprop(Linked.adam.adamEquivalentToRMSprop),
            AdamEquivalencesChecks.momentum(Linked.adam.adamApproximatingMomentum), ScaleInvarianceChecks.step(Linked.adam.adamStep),
            ScaleInvarianceChecks.gap(Linked.adam.largestIterateGap)] + Linked.sineMAML.checks + Linked.unrolledSGD.checks
            + Linked.reptileANIL.reptileChecks + Linked.reptileANIL.anilChecks + Linked.fomaml.loopChecks + Linked.transfer.checks
            + Linked.mamlPlusPlus.allChecks
        for check in checks { #expect(verdict(check) == nil, "\(check.key): \(verdict(check) ?? "")") }
    }

    @Test("a gdStep that climbs (+ instead of −) is caught, with the numbers it gave")
    func climbingStep() throws {
        let climbing: GradientStepFunction = { cost, params, eta in params + eta * grad(cost)(params) }
        #expect(verdict(GDStepChecks.value(climbing)) == "gdStep on cost w² from w = 1 with η = 0.25 gave 1.5; 0.5 was expected")
    }

    @Test("wrong functions of every exercise are caught by their checks")
    func wrongFunctionsAreCaught() {
        let wrong: [(SanityCheck, String)] = [
            (MetaObjectiveChecks.value { cost, params, _, _, _ in cost(params) }, "gave 1; cost(0.5^K) = 0.25 was expected"),
            (MAMLTrainingChecks.step { params, _, _, _ in (params, 0) }, "never called adapt"),
            (MAMLTrainingChecks.training { initial, _, _, _, _ in .init(params: initial, metaLosses: []) }, "recorded the losses ()"),
            (AdamEquivalencesChecks.rmsprop { _ in AdamHyperParameters(learningRate: 0.1, beta1: 0.5, beta2: 0.5, epsilon: 0.1) }, "stray from RMSprop"),
            (AdamEquivalencesChecks.momentum { _ in AdamHyperParameters(learningRate: 0.1, beta1: 0.5, beta2: 0.5, epsilon: 0.1) }, "stray from momentum"),
            (ScaleInvarianceChecks.step { _, params, _, _ in params }, "step 1 of Adam"),
            (ScaleInvarianceChecks.gap { _, _, _, _, _ in 0 }, "gave 0; 0.1/1.1 − 0.001/0.11"),
            (SineMAMLChecks.single { params, _, query, _ in squaredErrorLoss(params, inputs: query.inputs, targets: query.targets) }, "gave 4;"),
            (SineMAMLChecks.batched { _, _, _ in Tensor(0.0) }, "their mean, 1.625"),
            (LearnedInnerRateChecks.value { meta, task, _ in
                absoluteErrorLoss(networkWeights(of: meta), inputs: task.validationInputs, targets: task.validationTargets) }, "after T = 1 steps"),
            (ReptileAndANILChecks.reptile { phi, _, _, _ in phi }, "it gave 1 ("),
            (ReptileAndANILChecks.anil { params, _, _, _ in params }, "gave (b, h) = (2, 1)"),
            (FOMAMLChecks.inner { theta, _, _, _ in .init(parameters: theta, supportAccuracies: [0.5, 0.5]) }, "gave b = (0.2, 0)"),
            (FOMAMLChecks.outer { theta, _, _, _ in .init(loss: 0, gradient: theta, queryAccuracy: 0, supportAccuracies: []) }, "adapted from []"),
            (TransferLearningChecks.head { parameters, _, _, _, _ in parameters }, "gave the bias (0.2, 0)"),
            (TransferLearningChecks.episode { _, _, head, _ in .init(parameters: head, queryLoss: 0, queryAccuracy: 0) }, "never called adapt"),
            (TransferLearningChecks.episodesCheck { _, _, _, _ in .init(results: [], meanQueryAccuracy: 0, meanQueryLoss: 0) }, "got 0 heads"),
            (MAMLPlusPlusChecks.weights { _, schedule in Array(repeating: 1 / Double(schedule.steps), count: schedule.steps) }, "at epoch 5"),
            (MAMLPlusPlusChecks.outerRate { _, schedule in schedule.initial }, "at epoch 5"),
            (MAMLPlusPlusChecks.order { _, _ in .second }, "second order at epoch 0"),
            (MAMLPlusPlusChecks.initialRates { _, _, _ in [:] }, "it gave []"),
            (MAMLPlusPlusChecks.adaptation { meta, _, _ in [meta] }, "it gave 1 parameter sets"),
            (MAMLPlusPlusChecks.multiStep { _, _, _ in Tensor(0.0) }, "it gave 0 with"),
            (MAMLPlusPlusChecks.metaGradient { meta, _, _, _, _ in .init(loss: 0, gradient: meta, order: .first) }, "at epoch 0 of E = 1"),
        ]
        for (check, phrase) in wrong {
            let message = verdict(check)
            #expect(message?.contains(phrase) == true, "\(check.key): \(message ?? "passed")")
            // Numbers for people: at most 6 significant digits, never a Double's full precision.
            let long = (message ?? "").split(whereSeparator: { !($0.isNumber || $0 == ".") })
                .filter { $0.contains(".") && $0.filter(\.isNumber).drop(while: { $0 == "0" }).count > 6 }
            #expect(long.isEmpty, "\(check.key) prints \(long) in: \(message ?? "")")
        }
    }

    @Test("maml-toy with a climbing gdStep says which function to fix and why, in every section, and shows none of its numbers")
    func climbingStepPage() throws {
        var functions = Linked.mamlToy
        functions.gdStep = { cost, params, eta in params + eta * grad(cost)(params) }
        let run = try runPage(MAMLToyChapter(functions: functions))
        #expect(run.warnings.count == 4)
        #expect(run.warnings.allSatisfy { $0.contains("gdStep on cost w² from w = 1 with η = 0.25 gave 1.5; 0.5 was expected") }, "\(run.warnings)")
        #expect(run.outcome.metrics.isEmpty && run.outcome.page.figures.isEmpty)
    }
}
