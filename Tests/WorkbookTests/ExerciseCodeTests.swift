import Autodiff
import Foundation
import Testing
@testable import Workbook
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an unfinished exercise stub throws.
struct StubError: Error, CustomStringConvertible {
    let function: String
    var description: String { "not implemented: \(function)" }
}

/// A table whose every entry is the library's own version: it must pass every check.
func libraryTable(source: ExerciseSource = .reference) -> ExerciseCode {
    var code = ExerciseCode(source: source)
    code.gdStep = ExerciseEntry(exercise: "GDStep", part: "gdStep", function: ExerciseSlot.gdStep.library)
    code.metaObjective = ExerciseEntry(exercise: "MetaObjective", part: "MetaObjective", function: ExerciseSlot.metaObjective.library)
    code.rmspropAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part a", function: ExerciseSlot.rmspropAsAdam.library)
    code.iterateGap = ExerciseEntry(exercise: "ScaleInvariance", part: "largestIterateGap", function: ExerciseSlot.iterateGap.library)
    code.adaptationLoss = ExerciseEntry(exercise: "SineMAML", part: "adaptationLoss", function: ExerciseSlot.adaptationLoss.library)
    code.unrolledObjective = ExerciseEntry(exercise: "LearnedInnerRate", part: "unrolledObjective",
                                           function: ExerciseSlot.unrolledObjective.library)
    code.fomamlInnerLoop = ExerciseEntry(exercise: "FOMAML", part: "innerLoop", function: ExerciseSlot.fomamlInnerLoop.library)
    code.fomamlOuterLoop = ExerciseEntry(exercise: "FOMAML", part: "outerLoop", function: ExerciseSlot.fomamlOuterLoop.library)
    code.reptileStep = ExerciseEntry(exercise: "ReptileAndANIL", part: "reptileBatchedStep", function: ExerciseSlot.reptileStep.library)
    code.anilAdapt = ExerciseEntry(exercise: "ReptileAndANIL", part: "anilAdapt", function: ExerciseSlot.anilAdapt.library)
    code.metaTrainingStep = ExerciseEntry(exercise: "MAMLTraining", part: "metaTrainingStep", function: ExerciseSlot.metaTrainingStep.library)
    code.momentumAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part b", function: ExerciseSlot.momentumAsAdam.library)
    code.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead", function: ExerciseSlot.headAdaptation.library)
    code.episodeTransfer = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn", function: ExerciseSlot.episodeTransfer.library)
    code.transferEpisodes = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn over episodes",
                                          function: ExerciseSlot.transferEpisodes.library)
    return code
}

/// Runs `chapter` with the test budget and `exercises`, returning the outcome, the page's HTML and the narrative.
func runChapter(_ chapter: any Chapter, exercises: ExerciseCode?, seed: UInt64 = 4) throws -> (ChapterRunner.Outcome, String, [String]) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exercise-chapters-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let runner = ChapterRunner(output: folder, settings: ChapterSettings(budget: .test, seed: seed, showProgress: false, exercises: exercises))
    var narrative: [String] = []
    let outcome = try runner.run(chapter) { narrative.append($0) }
    let page = folder.appendingPathComponent(chapter.id).appendingPathComponent("index.html")
    // The page stays well-formed and quotes only recorded numbers, whichever code ran.
    let parser = try #require(XMLParser(contentsOf: page))
    let inspector = PageInspector()
    parser.delegate = inspector
    #expect(parser.parse(), "\(chapter.id): \(String(describing: parser.parserError))")
    for quoted in inspector.metrics {
        let recorded = try #require(outcome.metrics[quoted.key]?.value, "\(chapter.id) quotes \(quoted.key), never recorded")
        #expect(Double(quoted.value) == recorded, "\(quoted.key)")
    }
    return (outcome, try String(contentsOf: page, encoding: .utf8), narrative)
}

@Suite("Chapters run the exercises' code where it agrees with the library")
struct ExerciseCodeTests {
    @Test("the library's own versions pass every agreement check")
    func libraryPasses() {
        for status in libraryTable().statuses() {
            #expect(status.problem == nil, "\(status.exercise): \(status.problem ?? "")")
        }
    }

    @Test("a missing entry is reported with its exercise's name")
    func missingEntry() {
        let statuses = ExerciseCode(source: .student).statuses()
        #expect(statuses.map(\.exercise) == ["GDStep", "MetaObjective", "MAMLTraining", "AdamEquivalences", "AdamEquivalences", "ScaleInvariance", "SineMAML", "LearnedInnerRate", "FOMAML", "FOMAML", "ReptileAndANIL", "ReptileAndANIL", "TransferLearning", "TransferLearning", "TransferLearning"])
        #expect(statuses.allSatisfy { $0.problem == "this program holds no code for it" })
    }

    @Test("a gradient step of the wrong size is detected")
    func wrongStepSize() {
        var code = libraryTable(source: .student)
        code.gdStep = ExerciseEntry(exercise: "GDStep", part: "gdStep") { cost, params, stepSize in
            params - 2 * stepSize * grad(cost)(params)
        }
        let problem = code.status(of: .gdStep).problem
        #expect(problem?.contains("one step differs from θ − η∇cost(θ)") == true, "\(problem ?? "nil")")
    }

    @Test("a gradient step that cuts the graph (first order only) is detected")
    func detachedStep() {
        var code = libraryTable(source: .student)
        code.gdStep = ExerciseEntry(exercise: "GDStep", part: "gdStep") { cost, params, stepSize in
            params - stepSize * grad(cost)(params).detached()
        }
        let problem = code.status(of: .gdStep).problem
        #expect(problem?.contains("the gradient through the cost after one step differs") == true, "\(problem ?? "nil")")
    }

    @Test("a meta-objective taking one step too few is detected")
    func shortMetaObjective() {
        var code = libraryTable(source: .student)
        code.metaObjective = ExerciseEntry(exercise: "MetaObjective", part: "MetaObjective") { cost, params, steps, stepSize, step in
            try ExerciseSlot.metaObjective.library(cost, params, steps - 1, stepSize, step)
        }
        #expect(code.status(of: .metaObjective).problem?.contains("the meta-objective after two steps differs") == true)
    }

    @Test("a meta-training step that stops the gradient at the adapted parameters (first order) is detected")
    func firstOrderMetaStep() {
        var code = libraryTable(source: .student)
        code.metaTrainingStep = ExerciseEntry(exercise: "MAMLTraining", part: "metaTrainingStep") { params, support, query, steps, eta, beta in
            let loss = { (p: Parameters) in
                var adapted = p
                for _ in 0..<steps { adapted = adapted - eta * grad({ p in meanSquaredError(ExerciseAgreement.tinyModel(p, support.inputs), support.targets) })(adapted).detached() }
                return meanSquaredError(ExerciseAgreement.tinyModel(adapted, query.inputs), query.targets)
            }
            let (value, gradient) = valueAndGrad(loss)(params)
            return (params - beta * gradient, value.scalar)
        }
        let problem = code.status(of: .metaTrainingStep).problem
        #expect(problem?.contains("one meta-training step differs from the library's") == true, "\(problem ?? "nil")")
    }

    @Test("Adam settings that do not reproduce RMSprop, or that Adam cannot take, are detected")
    func wrongAdamSettings() {
        var code = libraryTable(source: .student)
        code.rmspropAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part a") { rate, decay, epsilon in
            AdamSettings(learningRate: rate, beta1: 0.1, beta2: decay, epsilon: epsilon)
        }
        #expect(code.status(of: .rmspropAsAdam).problem?.contains("strays from RMSprop") == true)
        code.rmspropAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part a") { rate, _, epsilon in
            AdamSettings(learningRate: rate, beta1: 0, beta2: 1, epsilon: epsilon)
        }
        #expect(code.status(of: .rmspropAsAdam).problem?.contains("β₂ = 1.0 is outside [0, 1)") == true)
        code.momentumAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part b") { rate, momentum in
            AdamSettings(learningRate: rate, beta1: momentum, beta2: 0.999, epsilon: 1)
        }
        #expect(code.status(of: .momentumAsAdam).problem?.contains("strays from momentum") == true)
        code.momentumAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "part b") { rate, momentum in
            AdamSettings(learningRate: rate, beta1: momentum, beta2: 1, epsilon: 0)
        }
        #expect(code.status(of: .momentumAsAdam).problem?.contains("left the finite numbers") == true)
    }

    @Test("an iterate gap that ignores ε is detected")
    func wrongIterateGap() {
        var code = libraryTable(source: .student)
        code.iterateGap = ExerciseEntry(exercise: "ScaleInvariance", part: "largestIterateGap") { _, _, _, _, _ in 0 }
        #expect(code.status(of: .iterateGap).problem?.contains("with ε = 0.001") == true)
    }

    @Test("an adaptation loss that averages instead of summing is detected")
    func meanInsteadOfSum() {
        var code = libraryTable(source: .student)
        code.adaptationLoss = ExerciseEntry(exercise: "SineMAML", part: "adaptationLoss") { params, support, query, stepSize in
            try ExerciseSlot.adaptationLoss.library(params, support, query, stepSize) / Double(query.inputs.shape[0])
        }
        #expect(code.status(of: .adaptationLoss).problem?.contains("the loss after one adaptation step differs") == true)
    }

    @Test("an inner loop that records accuracies only after the steps, or an outer loop at θ instead of φᴸ, is detected")
    func wrongFOMAML() {
        var code = libraryTable(source: .student)
        code.fomamlInnerLoop = ExerciseEntry(exercise: "FOMAML", part: "innerLoop") { theta, episode, model, steps, stepSize in
            let adaptation = try ExerciseSlot.fomamlInnerLoop.library(theta, episode, model, steps, stepSize)
            return EpisodeAdaptation(parameters: adaptation.parameters, supportAccuracies: Array(adaptation.supportAccuracies.dropFirst()))
        }
        #expect(code.status(of: .fomamlInnerLoop).problem?.contains("the support accuracies") == true)
        code.fomamlOuterLoop = ExerciseEntry(exercise: "FOMAML", part: "outerLoop") { theta, episodes, model, adapt in
            try ExerciseSlot.fomamlOuterLoop.library(theta, episodes, model) { p, _ in
                EpisodeAdaptation(parameters: p, supportAccuracies: [0, 0, 0])
            }
        }
        let problem = code.status(of: .fomamlOuterLoop).problem
        #expect(problem?.contains("differs from the library's") == true, "\(problem ?? "nil")")
    }

    @Test("a Reptile step that moves away from the adapted parameters, or an ANIL step that moves the body, is detected")
    func wrongReptileAndANIL() {
        var code = libraryTable(source: .student)
        code.reptileStep = ExerciseEntry(exercise: "ReptileAndANIL", part: "reptileBatchedStep") { phi, costs, steps, stepSize, beta in
            try ExerciseSlot.reptileStep.library(phi, costs, steps, stepSize, -beta)
        }
        #expect(code.status(of: .reptileStep).problem?.contains("one batched step on two tasks differs") == true)
        code.anilAdapt = ExerciseEntry(exercise: "ReptileAndANIL", part: "anilAdapt") { params, _, cost, steps, stepSize in
            try ExerciseSlot.anilAdapt.library(params, params.names, cost, steps, stepSize)
        }
        #expect(code.status(of: .anilAdapt).problem?.contains("the cost after two head-only steps differs") == true)
    }

    @Test("head training that moves the body, keeps it but steps the whole network, or takes one step too few is detected")
    func wrongHeadAdaptation() {
        var code = libraryTable(source: .student)
        // Every parameter steps: θ ← θ − α ∇L(θ), the body included.
        code.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead") { params, network, images, labels, steps, rate in
            let loss = { (p: Parameters) in crossEntropy(logits: network(p, images), labels: labels) }
            var stepped = params
            for _ in 0..<steps { stepped = stepped - rate * grad(loss)(stepped) }
            return stepped
        }
        let unfrozen = code.status(of: .headAdaptation).problem
        #expect(unfrozen?.contains("the body tensor conv1.weight changed") == true, "\(unfrozen ?? "nil")")
        // The same, with the body put back afterwards: the later steps saw moved features.
        code.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead") { params, network, images, labels, steps, rate in
            let loss = { (p: Parameters) in crossEntropy(logits: network(p, images), labels: labels) }
            var stepped = params
            for _ in 0..<steps { stepped = stepped - rate * grad(loss)(stepped) }
            return params.merging(stepped.selecting(network.headNames))
        }
        let restored = code.status(of: .headAdaptation).problem
        #expect(restored?.contains("after 3 head steps the head differs from the library's") == true, "\(restored ?? "nil")")
        code.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead") { params, network, images, labels, steps, rate in
            try ExerciseSlot.headAdaptation.library(params, network, images, labels, steps - 1, rate)
        }
        let short = code.status(of: .headAdaptation).problem
        #expect(short?.contains("after 1 head step the head differs from the library's") == true, "\(short ?? "nil")")
        code.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead") { params, network, images, labels, steps, rate in
            try ExerciseSlot.headAdaptation.library(params, network, images, labels, steps, rate).selecting(network.headNames)
        }
        #expect(code.status(of: .headAdaptation).problem?.contains("the adapted model has no conv1.weight") == true)
    }

    @Test("the library's transfer functions name the problem with their input")
    func transferBadInput() throws {
        let (network, pretrained, episodes, head) = try ExerciseAgreement.tinyTransfer()
        let model = pretrained.selecting(network.featureNames).merging(head)
        let images = episodes[0].supportImages
        #expect(throws: ExerciseCodeError.badInput("2 labels for images of shape \(images.shape)")) {
            try ExerciseSlot.headAdaptation.library(model, network, images, [0, 1], 1, 0.4)
        }
        #expect(throws: ExerciseCodeError.badInput("the model has no parameter head.bias (it has \(model.selecting(network.featureNames + ["head.weight"]).names))")) {
            try ExerciseSlot.headAdaptation.library(model.selecting(network.featureNames + ["head.weight"]), network, images, episodes[0].supportLabels, 1, 0.4)
        }
        let wideHead: Parameters = ["head.weight": .zeros([network.featureCount, 5], dtype: .float64), "head.bias": .zeros([5], dtype: .float64)]
        let error = #expect(throws: ExerciseCodeError.self) {
            try ExerciseSlot.episodeTransfer.library(pretrained, network, episodes[0], wideHead) { p, _, _, _ in p }
        }
        #expect(error?.description.contains("for a 3-way episode") == true)
        var generator = SeededGenerator(seed: 1)
        #expect(throws: ExerciseCodeError.badInput("transfer learning needs at least one episode")) {
            try ExerciseSlot.transferEpisodes.library(pretrained, network, [], &generator) { _, _ in
                EpisodeTransfer(parameters: pretrained, queryLoss: 0, queryAccuracy: 0)
            }
        }
    }

    @Test("a transfer that adapts on the queries, or scores the support set, is detected")
    func wrongEpisodeTransfer() {
        var code = libraryTable(source: .student)
        code.episodeTransfer = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn") { pretrained, network, episode, head, adapt in
            try ExerciseSlot.episodeTransfer.library(pretrained, network, episode, head) { model, episodeNetwork, _, _ in
                try adapt(model, episodeNetwork, episode.queryImages, episode.queryLabels)
            }
        }
        let onQueries = code.status(of: .episodeTransfer).problem
        #expect(onQueries?.contains("the adapted model differs from the library's") == true, "\(onQueries ?? "nil")")
        code.episodeTransfer = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn") { pretrained, network, episode, head, adapt in
            let result = try ExerciseSlot.episodeTransfer.library(pretrained, network, episode, head, adapt)
            let logits = network(result.parameters, episode.supportImages)
            return EpisodeTransfer(parameters: result.parameters,
                                   queryLoss: crossEntropy(logits: logits, labels: episode.supportLabels).scalar,
                                   queryAccuracy: accuracy(logits: logits, labels: episode.supportLabels))
        }
        let onSupport = code.status(of: .episodeTransfer).problem
        #expect(onSupport?.contains("the query loss") == true, "\(onSupport ?? "nil")")
    }

    @Test("transfer over episodes that reuses one head, or sums instead of averaging, is detected")
    func wrongTransferEpisodes() {
        var code = libraryTable(source: .student)
        code.transferEpisodes = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn over episodes") {
            pretrained, network, episodes, generator, learn in
            // One head drawn for the first episode, then reused.
            var firstHead: Parameters?
            return try ExerciseSlot.transferEpisodes.library(pretrained, network, episodes, &generator) { episode, head in
                if firstHead == nil { firstHead = head }
                return try learn(episode, firstHead!)
            }
        }
        let reused = code.status(of: .transferEpisodes).problem
        #expect(reused?.contains("the result of episode 2 differs from the library's") == true, "\(reused ?? "nil")")
        code.transferEpisodes = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn over episodes") {
            pretrained, network, episodes, generator, learn in
            let summary = try ExerciseSlot.transferEpisodes.library(pretrained, network, episodes, &generator, learn)
            return TransferEpisodesSummary(results: summary.results, meanQueryAccuracy: summary.results.map(\.queryAccuracy).reduce(0, +),
                                           meanQueryLoss: summary.meanQueryLoss)
        }
        let summed = code.status(of: .transferEpisodes).problem
        #expect(summed?.contains("the mean query accuracy") == true, "\(summed ?? "nil")")
        code.transferEpisodes = ExerciseEntry(exercise: "TransferLearning", part: "transferLearn over episodes") {
            pretrained, network, episodes, generator, learn in
            _ = generator.next()
            return try ExerciseSlot.transferEpisodes.library(pretrained, network, episodes, &generator, learn)
        }
        #expect(code.status(of: .transferEpisodes).problem != nil)
    }

    @Test("the transfer chapter with unfinished TransferLearning code names it, writes its page and keeps its numbers")
    func transferChapter() throws {
        var unfinished = ExerciseCode(source: .student)
        unfinished.headAdaptation = ExerciseEntry(exercise: "TransferLearning", part: "adaptHead (parts frozen and adaptation)") { _, _, _, _, _, _ in
            throw StubError(function: "adaptHead")
        }
        let (outcome, html, narrative) = try runChapter(TransferChapter(), exercises: unfinished)
        let (reference, referenceHTML, _) = try runChapter(TransferChapter(), exercises: libraryTable())
        #expect(html.contains("Finish exercise TransferLearning (adaptHead (parts frozen and adaptation): not implemented: adaptHead)"))
        #expect(html.contains("Finish exercise TransferLearning (this program holds no code for it)"))
        #expect(narrative.contains { $0.contains("Warning: Finish exercise TransferLearning") })
        #expect(referenceHTML.contains("This section runs adaptHead from exercise TransferLearning: the reference solution."))
        #expect(referenceHTML.contains("This section runs transferLearn from exercise TransferLearning: the reference solution."))
        #expect(referenceHTML.contains("This section runs transferLearn over episodes from exercise TransferLearning: the reference solution."))
        #expect(!referenceHTML.contains("Finish exercise"))
        #expect(outcome.page.figures.map(\.name) == reference.page.figures.map(\.name))
        for (key, metric) in reference.metrics where !key.contains("seconds") {
            #expect(outcome.metrics[key]?.value == metric.value, "\(key)")
        }
        // Both ran the same head training as the table's transfer row, the library's or the exercise's.
        for run in [outcome, reference] {
            let gap = try #require(run.metrics["exercise_transfer_accuracy_gap"]?.value)
            #expect(gap <= 1e-9, "\(gap)")
            let fresh = try #require(run.metrics["exercise_fresh_head_query_accuracy"]?.value)
            #expect((0...1).contains(fresh))
        }
    }

    @Test("an unrolled objective that does not differentiate through α is detected")
    func detachedRate() {
        var code = libraryTable(source: .student)
        code.unrolledObjective = ExerciseEntry(exercise: "LearnedInnerRate", part: "unrolledObjective") { meta, task, steps in
            let frozen = meta.merging(["inner.lr": meta.require("inner.lr").detached()])
            return try ExerciseSlot.unrolledObjective.library(frozen, task, steps)
        }
        #expect(code.status(of: .unrolledObjective).problem?.contains("the gradient through the unrolled objective") == true)
    }

    @Test("with unfinished exercises the chapter still writes its page, names them, and uses the library's numbers")
    func unfinishedAdam() throws {
        var code = ExerciseCode(source: .student)
        code.rmspropAsAdam = ExerciseEntry(exercise: "AdamEquivalences", part: "adamEquivalentToRMSprop (part a)") { _, _, _ in
            throw StubError(function: "adamEquivalentToRMSprop")
        }
        let (outcome, html, narrative) = try runChapter(AdamChapter(), exercises: code)
        let (library, _, _) = try runChapter(AdamChapter(), exercises: nil)
        #expect(html.contains("Finish exercise AdamEquivalences (adamEquivalentToRMSprop (part a): not implemented: adamEquivalentToRMSprop)"))
        #expect(html.contains("Finish exercise ScaleInvariance (this program holds no code for it)"))
        #expect(html.contains("Finish exercise AdamEquivalences (this program holds no code for it)"))
        #expect(narrative.contains { $0.contains("Warning: Finish exercise AdamEquivalences") })
        #expect(outcome.page.figures.map(\.name) == library.page.figures.map(\.name))
        for (key, metric) in library.metrics { #expect(outcome.metrics[key]?.value == metric.value, "\(key)") }
        // Part (b) fell back to the library's exact answer (β₂ = 1, ε = 1), so Adam is momentum.
        #expect(outcome.metrics["adam_as_momentum_exercise_difference"]?.value == 0)
    }

    @Test("a correct table runs the exercises, says so per section, and gives the library's numbers")
    func correctAdam() throws {
        let (outcome, html, _) = try runChapter(AdamChapter(), exercises: libraryTable())
        let (library, _, _) = try runChapter(AdamChapter(), exercises: nil)
        #expect(html.contains("This section runs part a from exercise AdamEquivalences: the reference solution."))
        #expect(html.contains("This section runs largestIterateGap from exercise ScaleInvariance: the reference solution."))
        #expect(!html.contains("Finish exercise"))
        for (key, metric) in library.metrics {
            let value = try #require(outcome.metrics[key]?.value)
            #expect(abs(value - metric.value) <= 1e-12 * max(1, abs(metric.value)), "\(key)")
        }
    }

    @Test("maml-toy with a wrong gdStep adapts with the library's step and still draws every figure")
    func wrongStepInMAMLToy() throws {
        var code = libraryTable(source: .student)
        code.gdStep = ExerciseEntry(exercise: "GDStep", part: "gdStep") { _, params, _ in params }
        let (outcome, html, _) = try runChapter(MAMLToyChapter(), exercises: code)
        let (reference, referenceHTML, _) = try runChapter(MAMLToyChapter(), exercises: libraryTable())
        #expect(html.contains("Finish exercise GDStep (gdStep: one step differs from θ − η∇cost(θ)"))
        #expect(referenceHTML.contains("This section runs gdStep from exercise GDStep"))
        #expect(outcome.page.figures.map(\.name) == ["training", "adaptation", "hidden-units"])
        // The fallback is the library's step, so the numbers are those of a correct table.
        for key in ["new_task_mse_step_0", "new_task_mse_step_5", "new_task_meta_objective"] {
            #expect(outcome.metrics[key]?.value == reference.metrics[key]?.value, "\(key)")
        }
    }

    @Test("where exercise code replaces a computation, the page's numbers are the library's",
          arguments: ["maml-toy", "sine-maml", "unrolled-sgd"])
    func samePages(id: String) throws {
        let chapter = try ChapterCatalog.chapters(named: id)[0]
        let (table, _, _) = try runChapter(chapter, exercises: libraryTable())
        let (library, _, _) = try runChapter(chapter, exercises: nil)
        for (key, metric) in library.metrics where !(key.contains("seconds") || key.hasPrefix("ms_per") || key.hasSuffix("time_ratio")) {
            let value = try #require(table.metrics[key]?.value, "\(id) lacks \(key) with an exercise table")
            #expect(abs(value - metric.value) <= 1e-5 * max(1, abs(metric.value)), "\(id) \(key): \(value) against \(metric.value)")
        }
    }

    @Test("the image chapters run the exercises' loops on validation episodes and say so",
          arguments: [("fomaml-omniglot", ["FOMAML"], ["exercise_query_accuracy", "exercise_support_accuracy_after"]),
                      ("reptile-anil", ["ReptileAndANIL"], ["exercise_reptile_step_length", "exercise_anil_query_accuracy"])])
    func imageChapters(id: String, exercises: [String], keys: [String]) throws {
        let (outcome, html, _) = try runChapter(try ChapterCatalog.chapters(named: id)[0], exercises: libraryTable())
        for exercise in exercises { #expect(html.contains("from exercise \(exercise): the reference solution.")) }
        for key in keys {
            let value = try #require(outcome.metrics[key]?.value, "\(id) lacks \(key)")
            #expect(value.isFinite && value >= 0)
        }
        if let accuracy = outcome.metrics["exercise_query_accuracy"]?.value { #expect(accuracy <= 1) }
    }
}

@Suite("workbook exercises and --impl, end to end")
struct ImplementationCommandTests {
    @Test("the reference solutions built into workbook pass every agreement check")
    func referenceAgrees() throws {
        let (status, output, error) = try runWorkbook(["exercises"])
        #expect(status == 0, "\(output)\(error)")
        #expect(output.contains("Exercise code: the reference solution"))
        #expect(output.components(separatedBy: "agrees with the library").count - 1 == 15, "\(output)")
    }

    @Test("an unknown --impl is refused with the choices")
    func unknownImplementation() throws {
        let (status, _, error) = try runWorkbook(["run", "adam", "--impl", "mine"])
        #expect(status != 0)
        #expect(error.contains("reference") && error.contains("student"), "\(error)")
    }

    /// Builds a second copy of the package from the stubs in Exercises/ (minutes): set
    /// MAML_TEST_STUDENT_BUILD=1 to run it.
    @Test("--impl student builds the stubs, names every exercise to finish, and still writes the page",
          .enabled(if: ProcessInfo.processInfo.environment["MAML_TEST_STUDENT_BUILD"] == "1"))
    func studentStubs() throws {
        let (status, output, error) = try runWorkbook(["exercises", "--impl", "student"])
        #expect(status == 1, "\(output)\(error)")
        #expect(output.contains("Exercise code: your code"), "\(output)")
        for stub in ["gdStep", "MetaObjective.callAsFunction", "metaTrainingStep", "adamEquivalentToRMSprop", "adamApproximatingMomentum", "largestIterateGap", "adaptationLoss", "unrolledObjective", "innerLoop", "outerLoop", "reptileBatchedStep", "anilAdapt", "adaptHead", "transferLearn", "transferLearn over episodes"] {
            #expect(output.contains("not implemented: \(stub)"), "\(stub): \(output)")
        }
        let folder = temporaryFolder("student-pages")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runWorkbook(["run", "adam", "--impl", "student", "--out", folder.path])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let page = try String(contentsOf: folder.appendingPathComponent("adam/index.html"), encoding: .utf8)
        #expect(page.contains("Finish exercise AdamEquivalences"))
        #expect(page.contains("Finish exercise ScaleInvariance"))
    }
}
