import Autodiff
import Foundation
import GradingRuntime
import NeuralNetworks

/// The checks both long assessments make of a handed-in folder, written once: the claimed curve
/// against the re-evaluated weights, and the reported hyper-parameters against the handout.
public struct AssessmentJudging: Sendable {
    /// The command that writes the folder (`FOMAMLTrain`), named when a file is missing.
    public let command: String
    /// The checkpoint's file name.
    public let checkpoint: String
    /// The metrics file's name.
    public let metrics = "metrics.json"
    /// The curve's file name.
    public let curve = "validation.csv"
    /// The chart's file name.
    public let plot = "validation.svg"

    /// The checks of the folder written by `command`, whose weights are in `checkpoint`.
    public init(command: String, checkpoint: String) { (self.command, self.checkpoint) = (command, checkpoint) }

    /// curve: the plot and the curve are there and well formed, end at the checkpoint's
    /// iteration, agree with `metrics.json`, and the final accuracy they claim lies within
    /// `tolerance` of `reevaluate(weights)`.
    public func curve(_ submission: SubmittedFiles, tolerance: Double,
                      reevaluate: ((network: ConvNet, parameters: Parameters, metadata: [String: String])) throws -> Double) throws -> Judgement {
        let folder = try SubmittedAssessment(submission, writtenBy: command)
        var judgement = Judgement(inputs: "the submitted \(curve), \(plot), \(metrics) and \(checkpoint)")
        let last = try folder.checkCurve(plot: plot, curve: curve, metrics: metrics, into: &judgement)
        let weights = try folder.convNetCheckpoint(checkpoint)
        let iteration = weights.metadata["iteration"].flatMap(Int.init)
        judgement.require(iteration == last.iteration, "The checkpoint should be of the curve's last iteration.",
                          expected: "\(last.iteration)", actual: iteration.map(String.init) ?? "none recorded")
        let measured = try reevaluate(weights)
        judgement.require(abs(last.accuracy - measured) <= tolerance,
                          "The final accuracy the curve claims should lie within \(tolerance) of the weights' re-evaluated accuracy.",
                          expected: Rendering.number(measured), actual: Rendering.number(last.accuracy))
        return judgement
    }

    /// hyperparameters: `metrics.json` reports every hyper-parameter in `reported`, the ones in
    /// `required` have the handout's values, and the data were Omniglot.
    public func hyperparameters(_ submission: SubmittedFiles, required: [(String, Double)], reported: [String]) throws -> Judgement {
        let folder = try SubmittedAssessment(submission, writtenBy: command)
        let values = try folder.jsonObject(metrics)
        guard let settings = values["hyperparameters"] as? [String: Any] else { throw AssessmentProblem("\(metrics) has no \"hyperparameters\" object") }
        var judgement = Judgement(inputs: "the submitted \(metrics)")
        for (key, value) in required {
            let given = try SubmittedAssessment.number(settings, key, in: "\(metrics)'s hyperparameters")
            judgement.require(given == value, "\(metrics) should report \(key) = \(Rendering.number(value)), as the handout sets it.",
                              expected: Rendering.number(value), actual: Rendering.number(given))
        }
        for key in reported {
            judgement.require(settings[key] is NSNumber, "\(metrics)'s hyperparameters should report \(key).",
                              expected: "a number under \"\(key)\"", actual: settings[key].map { "\($0)" } ?? "nothing")
        }
        judgement.require((values["data"] as? String)?.contains("Omniglot") == true, "\(metrics) should say the data were Omniglot.",
                          expected: "data naming Omniglot", actual: (values["data"] as? String) ?? "no \"data\"")
        return judgement
    }
}
