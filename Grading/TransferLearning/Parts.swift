import Autodiff
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

/// TransferLearning's hidden parts: head training and transfer learning (10 points) and the
/// assessment (10 points, `AssessmentParts.swift`). The parts of `transferLearn` hand it stand-ins
/// (a head trainer or an episode learner that returns the judge's values and records its calls),
/// so a mistake in `adaptHead` costs only the parts of `adaptHead`.
let transferLearningParts = ExerciseParts(
    "TransferLearning", question: "Q2, transfer learning versus meta-learning, and the assessment on Omniglot", dataFolders: ["OMNIGLOT_ROOT"],
    parts: [frozen, adaptation, support, evaluation, batch, weights, pretrained, curve, hyperparameters])

/// The settings of one `adaptHead` case: which episode, the head's seed, S and α.
struct HeadCase {
    var episode: Int, headSeed: UInt64, steps: Int, stepSize: Double
    var record: Record { ["episode": .integer(episode), "headSeed": .text(String(headSeed)), "steps": .integer(steps), "stepSize": .number(stepSize)] }
    init(episode: Int, headSeed: UInt64, steps: Int, stepSize: Double) { (self.episode, self.headSeed, self.steps, self.stepSize) = (episode, headSeed, steps, stepSize) }
    init(_ record: Record) throws {
        guard let seed = UInt64(try record.text("headSeed")) else { throw ValueError.malformed("headSeed") }
        self.init(episode: try record.integer("episode"), headSeed: seed, steps: try record.integer("steps"), stepSize: try record.number("stepSize"))
    }
}

/// The inputs of the `adaptHead` parts: a problem of two episodes and five cases (a drawn one,
/// then the steps, the step size, the episode or the starting head changed alone). The drawn
/// steps start at `fewestSteps`.
func headCases(_ random: inout SeededGenerator, fewestSteps: Int = 1) throws -> Record {
    let problem = try TransferProblem.draw(&random, ways: [random.int(in: 2...3), random.int(in: 2...3)])
    let base = HeadCase(episode: 0, headSeed: random.next() >> 1, steps: random.int(in: fewestSteps...2), stepSize: random.rounded(0.2, 0.6, digits: 2))
    var cases = [base, base, base, base, base]
    cases[1].steps = 3
    cases[2].stepSize = random.rounded(0.05, 0.15, digits: 2)
    cases[3].episode = 1
    cases[4].headSeed = random.next() >> 1
    var record = problem.record
    record["cases"] = .list(cases.map { .record($0.record) })
    return record
}

/// The starting N-way model of a case: the body with a Glorot head from the case's seed.
func startingModel(_ problem: TransferProblem, _ setting: HeadCase) -> (network: ConvNet, parameters: Parameters) {
    let ways = (problem.episodes[setting.episode].supportLabels.max() ?? 0) + 1
    let network = problem.episodeNetwork(ways: ways)
    var generator = SeededGenerator(seed: setting.headSeed)
    return (network, problem.body.merging(glorotHead(features: network.featureCount, ways: ways, generator: &generator)))
}

/// frozen: `adaptHead` gives back every body tensor exactly as it was, under the same names, and
/// the head moves. Its cases take at least two steps, so that the head moves even when a step
/// is missed (which the adaptation part checks).
let frozen = Part(
    "frozen", points: 2, section: "Part frozen", summary: "head training leaves every body tensor exactly as it was; only the head moves",
    inputs: { random in try headCases(&random, fewestSteps: 2) },
    judge: { inputs, observed in
        let problem = try TransferProblem(inputs)
        let cases = try inputs.recordList("cases").map(HeadCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement()
        judgement.require(reports.count == cases.count, "The probe should report one adapted model per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        for (index, (setting, report)) in zip(cases, reports).enumerated() {
            let (network, start) = startingModel(problem, setting)
            judgement.inputs = "\(problem.description); S = \(setting.steps), α = \(Rendering.number(setting.stepSize)), episode \(setting.episode + 1)"
            let adapted = try report.parameters("adapted")
            judgement.require(Set(adapted.names) == Set(start.names) && adapted.count == start.count,
                              "Case \(index + 1): adaptHead should return the model's parameters, the same names as it was given.",
                              expected: "\(start.names)", actual: "\(adapted.names)")
            for name in network.featureNames {
                judgement.close(adapted[name] ?? Tensor(0.0), start.require(name), within: 0,
                                "Case \(index + 1): adaptHead should leave the body's \(name) exactly as it was (the body is frozen).")
            }
            judgement.require(adapted["head.weight"].map { $0.scalars != start.require("head.weight").scalars } ?? false,
                              "Case \(index + 1): adaptHead should move the head in \(setting.steps) step\(setting.steps == 1 ? "" : "s").",
                              expected: "a head.weight different from the starting one",
                              actual: adapted["head.weight"] == nil ? "no head.weight" : "the starting head.weight, unchanged")
        }
        return judgement
    })

/// adaptation: after S steps the head is S steps of size α of softmax regression on the frozen
/// support features (checked against the gradient written by hand).
let adaptation = Part(
    "adaptation", points: 3, section: "Part adaptation", summary: "S steps of size α of softmax regression on the frozen support features",
    inputs: { random in try headCases(&random) },
    judge: { inputs, observed in
        let problem = try TransferProblem(inputs)
        let cases = try inputs.recordList("cases").map(HeadCase.init)
        let reports = try observed.recordList("cases")
        var judgement = Judgement()
        judgement.require(reports.count == cases.count, "The probe should report one adapted model per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        let names = ["a drawn case", "three steps", "another step size", "another episode", "another starting head"]
        for (index, (setting, report)) in zip(cases, reports).enumerated() {
            let (network, start) = startingModel(problem, setting)
            let episode = problem.episodes[setting.episode]
            judgement.inputs = "\(problem.description); S = \(setting.steps), α = \(Rendering.number(setting.stepSize)), episode \(setting.episode + 1)"
            let expected = softmaxRegression(features: network.features(start, episode.supportImages), labels: episode.supportLabels,
                                             weight: start.require("head.weight"), bias: start.require("head.bias"),
                                             steps: setting.steps, stepSize: setting.stepSize)
            let adapted = try report.parameters("adapted")
            let label = "Case \(index + 1) (\(names[index]))"
            judgement.close(adapted["head.weight"] ?? Tensor(0.0), expected.weight, within: 1e-9,
                            "\(label): head.weight should be S steps of softmax regression at rate α on the support features.")
            judgement.close(adapted["head.bias"] ?? Tensor(0.0), expected.bias, within: 1e-9,
                            "\(label): head.bias should be S steps of softmax regression at rate α on the support features.")
        }
        return judgement
    })

/// The inputs of the one-episode `transferLearn` parts: a problem, the given head, and the model
/// the stand-in head trainer hands back (the judge's own head training, `steps` steps of 0.4).
func oneEpisodeInputs(_ random: inout SeededGenerator, trainerSteps: Int) throws -> Record {
    let problem = try TransferProblem.draw(&random, ways: [random.int(in: 2...3)])
    let ways = (problem.episodes[0].supportLabels.max() ?? 0) + 1
    let network = problem.episodeNetwork(ways: ways)
    let head = glorotHead(features: network.featureCount, ways: ways, generator: &random)
    let model = problem.body.merging(head)
    let features = network.features(model, problem.episodes[0].supportImages)
    let trained = softmaxRegression(features: features, labels: problem.episodes[0].supportLabels, weight: head.require("head.weight"),
                                    bias: head.require("head.bias"), steps: trainerSteps, stepSize: 0.4)
    var record = problem.record
    record["head"] = .of(head)
    record["trainerResult"] = .of(model.merging(["head.weight": trained.weight, "head.bias": trained.bias]))
    return record
}

/// support: `transferLearn` hands the head trainer, once, the new N-way model (the body with the
/// given head, the all-class head gone), the episode's network and the support set, never the
/// queries; the adapted model it returns is what the trainer gave back.
let support = Part(
    "support", points: 2, section: "Part support", summary: "the pretrained body with the new N-way head, adapted once on the support set only",
    inputs: { random in try oneEpisodeInputs(&random, trainerSteps: 2) },
    judge: { inputs, observed in
        let problem = try TransferProblem(inputs)
        let episode = problem.episodes[0]
        let ways = (episode.supportLabels.max() ?? 0) + 1
        var judgement = Judgement(inputs: problem.description)
        let calls = try observed.recordList("calls")
        judgement.require(calls.count == 1, "transferLearn should call the head trainer exactly once for one episode.",
                          expected: "1", actual: "\(calls.count)")
        if let call = calls.first {
            judgement.close(try call.tensor("images"), episode.supportImages, within: 0, "The head trainer should get the episode's support images (never the queries).")
            judgement.same(try call.integers("labels"), episode.supportLabels, "The head trainer should get the episode's support labels.")
            let expectedShape = [ways, problem.shape.filters, problem.shape.blocks]
            judgement.same(try call.integers("network"), expectedShape,
                           "The head trainer should get the body's network topped by an N-way head (ways, filters, blocks).")
            let given = problem.body.merging(try inputs.parameters("head"))
            let handed = try call.parameters("parameters")
            judgement.require(identical(handed, given), "The model handed to the head trainer should be the pretrained body topped by the given head, without the all-class head.",
                              expected: "\(given.names.sorted())", actual: "\(handed.names.sorted())")
        }
        let returned = try observed.parameters("resultParameters"), trained = try inputs.parameters("trainerResult")
        judgement.require(identical(returned, trained), "transferLearn's result should hold the adapted model the head trainer returned.",
                          expected: "the trainer's model: \(trained.names.sorted())",
                          actual: Set(returned.names) == Set(trained.names) ? "other values under the same names" : "\(returned.names.sorted())")
        return judgement
    })

/// evaluation: `queryLoss` and `queryAccuracy` are the cross-entropy and accuracy of the adapted
/// model on the query set.
let evaluation = Part(
    "evaluation", points: 1, section: "Part evaluation", summary: "the query loss and accuracy of the adapted model",
    inputs: { random in try oneEpisodeInputs(&random, trainerSteps: 5) },
    judge: { inputs, observed in
        let problem = try TransferProblem(inputs)
        let episode = problem.episodes[0]
        let network = problem.episodeNetwork(ways: (episode.supportLabels.max() ?? 0) + 1)
        let logits = network(try inputs.parameters("trainerResult"), episode.queryImages)
        var judgement = Judgement(inputs: problem.description)
        judgement.close(try observed.number("queryLoss"), crossEntropy(logits: logits, labels: episode.queryLabels).scalar, within: 1e-9,
                        "queryLoss should be the adapted model's cross-entropy on the query set.")
        judgement.close(try observed.number("queryAccuracy"), accuracy(logits: logits, labels: episode.queryLabels), within: 1e-12,
                        "queryAccuracy should be the adapted model's accuracy on the query set.")
        return judgement
    })

/// batch: one fresh head per episode, drawn from the caller's generator in episode order (and
/// nothing else drawn from it), each episode learnt once in order, and the means of the
/// accuracies and losses. The stand-in learner returns the judge's numbers for each episode.
let batch = Part(
    "batch", points: 2, section: "Part batch", summary: "a fresh head per episode from the generator, and the means over episodes",
    inputs: { random in
        let problem = try TransferProblem.draw(&random, ways: (0..<random.int(in: 2...4)).map { _ in random.int(in: 2...3) })
        var record = problem.record
        record["generatorSeed"] = .text(String(random.next() >> 1))
        record["losses"] = .numbers(problem.episodes.map { _ in random.rounded(0.1, 2.0) })
        record["accuracies"] = .numbers(problem.episodes.map { _ in random.rounded(0, 1, digits: 2) })
        return record
    },
    judge: { inputs, observed in
        let problem = try TransferProblem(inputs)
        guard let seed = UInt64(try inputs.text("generatorSeed")) else { throw ValueError.malformed("generatorSeed") }
        let (losses, accuracies) = (try inputs.numbers("losses"), try inputs.numbers("accuracies"))
        var judgement = Judgement(inputs: problem.description)
        var replay = SeededGenerator(seed: seed)
        let heads = problem.episodes.map { episode in
            glorotHead(features: problem.shape.network.featureCount, ways: (episode.supportLabels.max() ?? 0) + 1, generator: &replay)
        }
        let calls = try observed.recordList("calls")
        judgement.same(try calls.map { try $0.integer("episode") }, Array(problem.episodes.indices),
                       "Every episode should be learnt once, in order.")
        for (index, (call, head)) in zip(calls, heads).enumerated() {
            let given = try call.parameters("head")
            judgement.require(identical(given, head),
                              "Episode \(index + 1) should start from its own fresh head, drawn from the generator after the earlier episodes' heads.",
                              expected: "head.weight = \(Rendering.tensor(head.require("head.weight")))",
                              actual: given["head.weight"].map { "head.weight = \(Rendering.tensor($0))" } ?? "no head.weight")
        }
        let expectedState = replay.stateWords.map(String.init).joined(separator: ","), state = try observed.text("generatorState")
        judgement.require(state == expectedState, "The generator should be used for exactly one fresh head per episode, and nothing else.",
                          expected: "the generator's state after \(problem.episodes.count) heads", actual: "a state after other draws")
        judgement.close(try observed.numbers("resultAccuracies"), accuracies, within: 0, "The summary should list the episodes' results in order.")
        let n = Double(problem.episodes.count)
        judgement.close(try observed.number("meanQueryAccuracy"), accuracies.reduce(0, +) / n, within: 1e-12, "meanQueryAccuracy should be the mean of the episodes' query accuracies.")
        judgement.close(try observed.number("meanQueryLoss"), losses.reduce(0, +) / n, within: 1e-12, "meanQueryLoss should be the mean of the episodes' query losses.")
        return judgement
    })
