import Autodiff
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData

/// FOMAML's hidden parts: the inner and outer loops (20 points) and the assessment (10 points,
/// `AssessmentParts.swift`). The outer-loop parts hand the student's `outerLoop` a stand-in
/// adapter that returns the judges' own adaptations of θ, so a wrong `innerLoop` costs only the
/// adaptation part.
let fomamlParts = ExerciseParts(
    "FOMAML", question: "Q1, the FO-MAML inner and outer loops, and the assessment on Omniglot", dataFolders: ["OMNIGLOT_ROOT"],
    parts: [adaptation, fresh, gradient, objective, weights, curve, hyperparameters, learns])

/// adaptation: exactly L steps φ ← φ − η ∇L(φ, support) from θ, and the support accuracy before
/// the first step and after each. Five cases: a drawn case, then the steps, the step size, the
/// episode or θ changed alone.
let adaptation = Part(
    "adaptation", points: 7, section: "Part adaptation",
    summary: "L steps θ − η∇L on the support set only, with the support accuracies before and after each step",
    inputs: { random in
        let problem = try FewShotProblem.draw(&random, episodes: 2)
        let other = problem.shape.network.initialize(generator: &random, dtype: .float64)
        let (steps, stepSize) = (random.int(in: 1...2), random.rounded(0.2, 0.5, digits: 2))
        let cases: [Record] = [
            ["theta": 0, "episode": 0, "steps": .integer(steps), "stepSize": .number(stepSize)],
            ["theta": 0, "episode": 0, "steps": 3, "stepSize": .number(stepSize)],
            ["theta": 0, "episode": 0, "steps": .integer(steps), "stepSize": .number(random.rounded(0.05, 0.15, digits: 2))],
            ["theta": 0, "episode": 1, "steps": .integer(steps), "stepSize": .number(stepSize)],
            ["theta": 1, "episode": 0, "steps": .integer(steps), "stepSize": .number(stepSize)],
        ]
        var record = problem.record
        record["thetas"] = .of([problem.theta, other])
        record["cases"] = .list(cases.map { .record($0) })
        return record
    },
    judge: { inputs, observed in
        let problem = try FewShotProblem(inputs)
        let thetas = try inputs.parameterList("thetas")
        let reports = try observed.recordList("cases")
        let cases = try inputs.recordList("cases")
        var judgement = Judgement()
        judgement.require(reports.count == cases.count, "The probe should report one adaptation per case.",
                          expected: "\(cases.count)", actual: "\(reports.count)")
        let names = ["a drawn case", "more steps", "another step size", "another episode", "another θ"]
        for (index, (setting, report)) in zip(cases, reports).enumerated() {
            let (steps, stepSize) = (try setting.integer("steps"), try setting.number("stepSize"))
            let episode = problem.episodes[try setting.integer("episode")]
            judgement.inputs = "\(problem.description); L = \(steps), η = \(Rendering.number(stepSize))"
            let expected = referenceAdaptation(thetas[try setting.integer("theta")], episode: episode, network: problem.shape.network,
                                               steps: steps, stepSize: stepSize)
            let label = "Case \(index + 1) (\(names[index]))"
            judgement.close(try report.parameters("parameters"), expected.parameters, within: 1e-9,
                            "\(label): innerLoop should return φᴸ, L steps φ ← φ − η ∇L(φ) on the support cross-entropy from θ.")
            judgement.close(try report.numbers("supportAccuracies"), expected.accuracies, within: 1e-12,
                            "\(label): innerLoop should give the L + 1 support accuracies at φ⁰ = θ, φ¹, …, φᴸ.")
        }
        return judgement
    })

/// fresh: every episode is adapted from θ itself (never from an earlier episode's adapted
/// parameters; adapting an episode more than once is allowed), and a second evaluation at the
/// same θ gives the same result.
let fresh = Part(
    "fresh", points: 3, section: "Part fresh", summary: "every episode adapted from θ itself, not from the previous episode's parameters",
    inputs: { random in try outerLoopInputs(&random, episodes: random.int(in: 2...4)) },
    judge: { inputs, observed in
        let problem = try FewShotProblem(inputs)
        var judgement = Judgement(inputs: problem.description)
        let calls = try observed.recordList("calls")
        let adapted = Set(try calls.map { try $0.integer("episode") })
        judgement.require(adapted.isSuperset(of: 0..<problem.episodes.count), "outerLoop should adapt every episode of the meta-batch.",
                          expected: "episodes \(Array(0..<problem.episodes.count))", actual: "episodes \(adapted.sorted())")
        for (index, call) in calls.enumerated() {
            judgement.close(try call.parameters("start"), problem.theta, within: 0,
                            "Call \(index + 1) of the adapter (episode \(try call.integer("episode"))) should start from θ itself, not from where an earlier adaptation ended.")
        }
        let (first, second) = (try observed.record("first"), try observed.record("second"))
        judgement.close(try second.number("loss"), try first.number("loss"), within: 0,
                        "A second outerLoop at the same θ should give the same objective as the first.")
        judgement.close(try second.parameters("gradient"), try first.parameters("gradient"), within: 0,
                        "A second outerLoop at the same θ should give the same gradient as the first.")
        return judgement
    })

/// gradient: (1/n) Σᵢ ∇_φ L(φ, queryᵢ) at φ = φᵢ, the adapted parameters, computed here.
let gradient = Part(
    "gradient", points: 6, section: "Part gradient", summary: "the first-order meta-gradient: mean of the query gradients at the adapted parameters",
    inputs: { random in try outerLoopInputs(&random, episodes: random.int(in: 2...4)) },
    judge: { inputs, observed in
        let problem = try FewShotProblem(inputs)
        let adaptations = try inputs.recordList("adaptations").map { try $0.parameters("parameters") }
        let network = problem.shape.network
        var judgement = Judgement(inputs: problem.description)
        var expected = problem.theta.zerosLike()
        for (episode, phi) in zip(problem.episodes, adaptations) {
            expected = expected + grad { (p: Parameters) in crossEntropy(logits: network(p, episode.queryImages), labels: episode.queryLabels) }(phi)
        }
        expected = expected / Double(problem.episodes.count)
        judgement.close(try observed.record("first").parameters("gradient"), expected, within: 1e-9,
                        "outerLoop's gradient should be the mean over the episodes of the query-loss gradient at the adapted parameters φᵢ (first order: not through the inner loop).")
        return judgement
    })

/// objective: the mean post-adaptation query loss, the mean query accuracy and the mean support accuracies.
let objective = Part(
    "objective", points: 4, section: "Part objective", summary: "the mean post-adaptation query loss, query accuracy and support accuracies",
    inputs: { random in try outerLoopInputs(&random, episodes: random.int(in: 2...4)) },
    judge: { inputs, observed in
        let problem = try FewShotProblem(inputs)
        let adaptations = try inputs.recordList("adaptations")
        let network = problem.shape.network
        var judgement = Judgement(inputs: problem.description)
        let n = Double(problem.episodes.count)
        var (loss, queryAccuracy) = (0.0, 0.0)
        var support = [Double](repeating: 0, count: 3)
        for (episode, adaptation) in zip(problem.episodes, adaptations) {
            let logits = network(try adaptation.parameters("parameters"), episode.queryImages)
            loss += crossEntropy(logits: logits, labels: episode.queryLabels).scalar / n
            queryAccuracy += accuracy(logits: logits, labels: episode.queryLabels) / n
            support = zip(support, try adaptation.numbers("supportAccuracies")).map { $0 + $1 / n }
        }
        let result = try observed.record("first")
        judgement.close(try result.number("loss"), loss, within: 1e-9, "outerLoop's loss should be the mean post-adaptation query cross-entropy.")
        judgement.close(try result.number("queryAccuracy"), queryAccuracy, within: 1e-12, "outerLoop's queryAccuracy should be the mean post-adaptation query accuracy.")
        judgement.close(try result.numbers("supportAccuracies"), support, within: 1e-12,
                        "outerLoop's supportAccuracies should be the mean, step by step, of the adaptations' support accuracies.")
        return judgement
    })

/// The inputs of the outer-loop parts: a problem with `episodes` episodes and the stand-in adaptations.
func outerLoopInputs(_ random: inout SeededGenerator, episodes: Int) throws -> Record {
    let problem = try FewShotProblem.draw(&random, episodes: episodes)
    var record = problem.record
    record["adaptations"] = .list(standInAdaptations(problem).map { .record($0) })
    return record
}
