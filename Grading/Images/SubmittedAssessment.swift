import Autodiff
import Foundation
import GradingRuntime
import NeuralNetworks
import TaskData

/// Why a submitted assessment folder cannot be graded, in one sentence naming the file.
public struct AssessmentProblem: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// A problem with its message.
    public init(_ description: String) { self.description = description }
}

/// The `Assessment/` folder a student hands in with a long assessment, as the judges read it:
/// each file, `metrics.json`, the claimed validation curve and the checkpoint. The readers are
/// the judges' own, independent of the exercise's, and every problem names the file and the
/// command that writes the folder.
public struct SubmittedAssessment: Sendable {
    /// The folder handed in.
    public let folder: URL
    /// The command that writes it (for example `FOMAMLTrain`), named when a file is missing.
    public let command: String

    /// The folder the grader passed, or a problem saying none was handed in.
    public init(_ submission: SubmittedFiles, writtenBy command: String) throws {
        guard let folder = submission.assessmentFolder else {
            throw AssessmentProblem("no Assessment folder was handed in: run \(command) and hand in the folder it writes beside your code")
        }
        self.folder = folder
        self.command = command
    }

    /// A file of the folder, or a problem naming it when it is missing.
    public func file(_ name: String) throws -> URL {
        let file = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw AssessmentProblem("\(name) is missing from the Assessment folder: run \(command) and hand in the folder it writes")
        }
        return file
    }

    /// The JSON object in file `name`.
    public func jsonObject(_ name: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: file(name))) as? [String: Any] else {
            throw AssessmentProblem("\(name) is not a JSON object")
        }
        return object
    }

    /// The number at `key` of a JSON object read from `file`, or a problem naming the key.
    public static func number(_ object: [String: Any], _ key: String, in file: String) throws -> Double {
        guard let value = object[key] as? NSNumber else { throw AssessmentProblem("\(file) reports no number \"\(key)\"") }
        return value.doubleValue
    }

    /// The rows of the curve file `name`: (iteration, accuracy), with the header checked.
    public func curve(_ name: String) throws -> [(iteration: Int, accuracy: Double)] {
        let lines = try String(contentsOf: file(name), encoding: .utf8).split(whereSeparator: \.isNewline)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "iteration,accuracy" else {
            throw AssessmentProblem("\(name) must start with the header iteration,accuracy")
        }
        return try lines.dropFirst().map { line in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let iteration = Int(fields[0]), let accuracy = Double(fields[1]) else {
                throw AssessmentProblem("\(name): cannot read the line \"\(line)\"")
            }
            return (iteration, accuracy)
        }
    }

    /// Checks what any claimed curve must satisfy and returns its last point: the plot is an SVG
    /// chart; the curve starts at iteration 0, its iterations increase and its accuracies lie in
    /// 0…1; `metrics`' final iteration, final accuracy and best accuracy are the curve's last
    /// point and its highest accuracy.
    public func checkCurve(plot: String, curve curveName: String, metrics metricsName: String,
                           into judgement: inout Judgement) throws -> (iteration: Int, accuracy: Double) {
        let chart = try String(contentsOf: file(plot), encoding: .utf8)
        judgement.require(chart.contains("<svg"), "\(plot) should be the SVG chart of the validation curve.",
                          expected: "an SVG file", actual: "\(chart.prefix(40))…")
        let curve = try self.curve(curveName)
        guard let last = curve.last else { throw AssessmentProblem("\(curveName) has no points") }
        judgement.require(curve[0].iteration == 0, "The curve should start with the initial weights, at iteration 0.",
                          expected: "0", actual: "\(curve[0].iteration)")
        judgement.require(zip(curve, curve.dropFirst()).allSatisfy { $0.iteration < $1.iteration }, "The curve's iterations should increase.",
                          expected: "increasing iterations", actual: "\(curve.map(\.iteration))")
        judgement.require(curve.allSatisfy { (0...1).contains($0.accuracy) }, "Every accuracy of the curve should lie in 0…1.",
                          expected: "accuracies in 0…1", actual: Rendering.numbers(curve.map(\.accuracy)))
        let metrics = try jsonObject(metricsName)
        let finalIteration = try Self.number(metrics, "finalIteration", in: metricsName)
        judgement.require(finalIteration == Double(last.iteration), "\(metricsName)'s final iteration should be the curve's last.",
                          expected: "\(last.iteration)", actual: Rendering.number(finalIteration))
        judgement.close(try Self.number(metrics, "finalValidationAccuracy", in: metricsName), last.accuracy, within: 1e-9,
                        "\(metricsName)'s final accuracy should be the curve's last.")
        judgement.close(try Self.number(metrics, "bestValidationAccuracy", in: metricsName), curve.map(\.accuracy).max()!, within: 1e-9,
                        "\(metricsName)'s best accuracy should be the curve's highest.")
        return last
    }

    /// The checkpoint in file `name`: a `ConvNet` of any filter count and 1 to 4 blocks, with a
    /// linear head whose width is the network's ways, its parameters in Float, and its metadata.
    public func convNetCheckpoint(_ name: String) throws -> (network: ConvNet, parameters: Parameters, metadata: [String: String]) {
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint(contentsOf: file(name)) }
        catch let problem as AssessmentProblem { throw problem }
        catch { throw AssessmentProblem("\(name) is not a checkpoint the library can read: \(error)") }
        let parameters = checkpoint.parameters
        let blocks = parameters.names.filter { $0.hasPrefix("conv") && $0.hasSuffix(".weight") }.count
        guard let first = parameters["conv1.weight"], first.rank == 4, (1...4).contains(blocks),
              let head = parameters["head.weight"], head.rank == 2 else {
            throw AssessmentProblem("\(name) holds \(parameters.names), not the weights of the convolutional network")
        }
        let network = ConvNet(ways: head.shape[1], filters: first.shape[0], blocks: blocks)
        var generator = SeededGenerator(seed: 0)
        let expected = network.initialize(generator: &generator)
        guard parameters.names == expected.names, zip(parameters.tensors, expected.tensors).allSatisfy({ $0.shape == $1.shape }) else {
            throw AssessmentProblem("\(name)'s tensors \(parameters.map { "\($0.0) \($0.1.shape)" }) do not fit a "
                + "\(head.shape[1])-way network with \(first.shape[0]) filters and \(blocks) blocks")
        }
        return (network, parameters.map { $0.converted(to: .float32) }, checkpoint.metadata)
    }
}

/// Real Omniglot for re-evaluating submitted weights, split as the course splits it.
public enum AssessmentData {
    /// The training and validation classes (rotations added) of `OMNIGLOT_ROOT`, or a problem saying it is needed.
    public static func omniglotSplit() throws -> (training: ImageDataset, validation: ImageDataset) {
        guard let root = Omniglot.rootFromEnvironment() else {
            throw AssessmentProblem("\(Omniglot.environmentVariable) is not set where grading runs: re-evaluating the submitted "
                + "weights needs real Omniglot (the course staff must set it)")
        }
        let split = try Omniglot.load(roots: [root], cache: Omniglot.defaultCacheURL).split()
        return (split.train.addingRotations(), split.validation.addingRotations())
    }
}
